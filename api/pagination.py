from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """50 a page unless `page_size` asks for up to 200; a page past the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
