import pytest


@pytest.fixture
def watch_csp():
    """Wraps pages so that any Content-Security-Policy violation fails the test at its end."""
    violations = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and violations.append(message.text)
            ),
        )
        return page

    yield watch
    assert not violations, violations
