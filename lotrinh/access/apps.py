from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "lotrinh.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from lotrinh.access.models import Membership
        from lotrinh.access.permissions import forget_access

        # A changed role must count on the next request (see permissions.forget_access).
        post_save.connect(forget_access, sender=Membership, dispatch_uid="access-membership-saved")
        post_delete.connect(forget_access, sender=Membership, dispatch_uid="access-membership-gone")
        post_save.connect(forget_access, sender=get_user_model(), dispatch_uid="access-user-saved")

        from django.conf import settings

        from lotrinh.access.claims import parse_rules

        if settings.SSO_ENABLED:
            # Rules that cannot be used stop the server at start, not the first person signing in.
            parse_rules(settings.LOTRINH_OIDC_CLAIM_RULES)
