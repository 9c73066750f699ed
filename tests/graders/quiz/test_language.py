"""Bundle texts in the page's language: the primary subtag picks the text, English when a bundle lacks it."""

from __future__ import annotations

import pytest

from graders.quiz.errors import DefinitionError
from graders.quiz.language import bundle_language, in_language, read_texts, topic_name


@pytest.mark.parametrize(
    "code,language", [("zh-hans", "zh"), ("zh_Hans", "zh"), ("zh", "zh"), ("en", "en"), ("en-us", "en"), ("fr", "en")]
)
def test_page_language_to_bundle_language(code, language):
    assert bundle_language(code) == language


def test_texts_and_topic_names():
    assert in_language({"en": "Hello", "zh": "你好"}, "zh-hans") == "你好"
    assert topic_name("lstm", "en") == "LSTM" and topic_name("rnn", "zh-hans") == "循环神经网络 RNN"
    assert topic_name("unknown-topic", "zh-hans") == "unknown-topic"


def test_every_text_needs_both_languages():
    assert read_texts({"en": " Hi ", "zh": "嗨"}, "title") == {"en": "Hi", "zh": "嗨"}
    with pytest.raises(DefinitionError, match="title needs non-empty `en` and `zh`"):
        read_texts({"en": "Hi", "zh": "  "}, "title")
