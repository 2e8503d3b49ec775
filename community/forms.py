from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Commune, Gender


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form: phone or e-mail (at least one) and consent to data processing."""

    consent = forms.BooleanField(
        label="Tôi đồng ý để Học vụ số Đồng Nai xử lý dữ liệu cá nhân của tôi (họ tên, năm sinh, nơi ở, kết quả học) "
        "để cấp chứng nhận và thống kê theo Luật Bảo vệ dữ liệu cá nhân.",
        required=True,
        error_messages={"required": "Bạn cần đồng ý thì mới tạo được tài khoản."},
    )

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not self.errors.get("phone") and not self.errors.get("email"):
            raise ValidationError("Vui lòng nhập số điện thoại hoặc địa chỉ e-mail.")
        return data

    def signup(self, request, user):
        request.session["consent_at"] = timezone.now().isoformat()


class JoinHouseholdForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    birth_year = forms.IntegerField(label="Năm sinh", widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    gender = forms.ChoiceField(label="Giới tính", choices=[("", "—")] + list(Gender.choices), required=False)
    commune = forms.ModelChoiceField(
        label="Xã/phường nơi bạn ở", queryset=Commune.objects.order_by("name"), empty_label="— Chọn xã/phường —",
        error_messages={"required": "Vui lòng chọn xã/phường.", "invalid_choice": "Xã/phường không hợp lệ."},
    )
    household_code = forms.CharField(
        label="Mã hộ gia đình", max_length=20,
        help_text="Mã do Tổ Công nghệ số cộng đồng cung cấp. Nếu chưa có, hãy hỏi Tổ ở xã/phường của bạn.",
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise ValidationError("Vui lòng nhập đầy đủ họ và tên.")
        return name

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not 1900 <= year <= this_year - 5:
            raise ValidationError(f"Năm sinh phải từ 1900 đến {this_year - 5}.")
        return year

    def clean_household_code(self):
        return self.cleaned_data["household_code"].strip().upper()
