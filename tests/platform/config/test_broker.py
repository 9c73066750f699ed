import os

from kombu import Connection

from config import broker


def test_embedded_broker_never_shows_a_partial_message(tmp_path, monkeypatch):
    seen_at_rename = []
    real_replace = os.replace

    def checking_replace(src, dst):
        seen_at_rename.append(sorted(p.name for p in tmp_path.iterdir()))
        real_replace(src, dst)

    monkeypatch.setattr(broker.os, "replace", checking_replace)
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path / "c")}
    (tmp_path / "c").mkdir()
    with Connection(f"{broker.ALIAS}://", transport_options=options) as connection:
        queue = connection.SimpleQueue("grading")
        queue.put({"submission": 7})
        assert all(not name.endswith(".grading.msg") for name in seen_at_rename[0])
        assert queue.get(timeout=1).payload == {"submission": 7}
        queue.close()
