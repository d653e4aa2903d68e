"""Strings of packages we show that we word ourselves: django-axes' admin (it ships no
Spanish), the one form message two packages translate differently, and country names the
packages' catalogues get wrong. Listed here, never imported, so that makemessages keeps them in
our catalogues, which Django reads before the packages' own."""

from django.utils.translation import gettext_noop

# Django REST framework's Spanish catalogue says “Este campo es requerido.” where Django's says
# “obligatorio”, and would win on every form: ours wins over both.
FORMS = [gettext_noop("This field is required.")]

# Country names django-countries' catalogues get wrong or dated (“Trinidad yTobago”, “Îles
# Marshal”, “República de Chipre”, sorted under R): ours are read first.
COUNTRIES = [
    gettext_noop("Trinidad and Tobago"),
    gettext_noop("Andorra"),
    gettext_noop("Cyprus"),
    gettext_noop("Djibouti"),
    gettext_noop("Chad"),
    gettext_noop("Central African Republic"),
    gettext_noop("Eswatini"),
    gettext_noop("Marshall Islands"),
    gettext_noop("Svalbard and Jan Mayen"),
    gettext_noop("North Macedonia"),
    gettext_noop("Réunion"),
    gettext_noop("Palestine, State of"),
    gettext_noop("Micronesia (Federated States of)"),
    gettext_noop("Czechia"),
]

AXES = [
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]
