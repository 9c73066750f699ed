"""{% topic_quiz_links topic %}: links from a topic's coding exercises to the quizzes of that topic."""

from django import template

from quizzes.selectors import quizzes_of_topic

register = template.Library()


@register.inclusion_tag("quizzes/_topic_quiz_links.html", takes_context=True)
def topic_quiz_links(context, topic: str):
    request = context.get("request")
    language = getattr(request, "LANGUAGE_CODE", "en")
    quizzes = quizzes_of_topic(topic=topic)
    return {"links": [(quiz.slug, quiz.title(language)) for quiz in quizzes]}
