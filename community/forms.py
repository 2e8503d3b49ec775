from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Commune, Gender


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with a phone number or an e-mail address (at least one) and consent to data processing,
    as the personal-data law (91/2025/QH15) asks."""

    consent = forms.BooleanField(
        label="Tôi đồng ý để Học vụ số Đồng Nai xử lý dữ liệu cá nhân của tôi (họ tên, năm sinh, nơi ở, kết quả học) "
        "để cấp chứng nhận và thống kê theo Luật Bảo vệ dữ liệu cá nhân.",
        required=True,
        error_messages={"required": "Bạn cần đồng ý thì mới tạo được tài khoản."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = "Số điện thoại di động"
        self.fields["phone"].help_text = "Nhập số điện thoại hoặc e-mail, ít nhất một trong hai."
        self.fields["email"].label = "Địa chỉ e-mail"
        self.fields["email"].help_text = "Dùng để lấy lại mật khẩu khi quên."
        self.fields["email"].widget.attrs["placeholder"] = "ten@example.com"

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors and "email" not in self.errors:
            raise ValidationError("Vui lòng nhập số điện thoại hoặc địa chỉ e-mail.")
        return data

    def save(self, request):
        user = super().save(request)
        request.session["consent_at"] = timezone.now().isoformat()
        return user


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


class JoinRequestForm(JoinHouseholdForm):
    """Like joining by code, but with where you live instead of the code; a team member places you."""

    hamlet = forms.CharField(label="Ấp/khu phố", max_length=100)
    address = forms.CharField(label="Địa chỉ (số nhà, đường, tổ)", max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["household_code"]
