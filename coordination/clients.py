"""Who the client is: the one answer that login throttling (django-axes), the public forms'
rate limit and the password-reset throttle all count by.

Behind a reverse proxy every request arrives from the proxy's address, so the client's own
address must be read from X-Forwarded-For, but only from the part that trusted proxies wrote:
anything to its left was sent by the client and may be invented.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """The address that the outermost of the TRUSTED_PROXY_COUNT proxies saw the request come
    from; with no trusted proxy, the connection's own address (X-Forwarded-For is ignored).

    Each proxy appends the address it received the request from to X-Forwarded-For, and the
    last one is the connection itself (REMOTE_ADDR), so with N trusted proxies the client is the
    N-th entry from the right. ipware counts only the proxies listed in the header, hence N - 1;
    non-strict, so that extra entries a client puts on the left are skipped, not trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        address, _ = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    # No proxy, or a request that did not pass through them (no or too short a header).
    address, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address
