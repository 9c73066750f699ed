from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (at most 200) on every list; the body says count, next and previous."""

    page_size_query_param = "page_size"
    max_page_size = 200
