import sys

from dlgrade_client.cli import main

sys.exit(main())
