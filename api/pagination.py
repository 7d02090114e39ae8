from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=50``; each list orders by a unique last key, so pages never
    overlap or skip."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
