"""One module per quiz question type; graders/quiz/registry.py lists them."""
