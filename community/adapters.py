import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from .models import User
from .phones import VietnamPhoneField, normalize_phone

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on the user; they are normalised to +84… before any lookup."""

    def phone_form_field(self, **kwargs):
        return VietnamPhoneField(**kwargs)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone: str) -> None:
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)

    def get_user_by_phone(self, phone: str):
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).order_by("pk").first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # Phone verification is switched off (settings.ACCOUNT_PHONE_VERIFICATION_ENABLED) until an SMS gateway is
        # contracted; this is reached only if someone turns it on without one.
        raise NotImplementedError("Chưa cấu hình cổng gửi tin nhắn SMS.")

    def populate_username(self, request, user):
        if not user.username:
            user.username = User.generate_username()
