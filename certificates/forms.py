from django import forms

from .models import CertificateKind, CertificateStatus

DATE_HELP = "Theo dạng ngày/tháng/năm, ví dụ 01/06/2026."
DATE_ERROR = "Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/06/2026."


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo họ tên", required=False, max_length=120)
    loai = forms.ChoiceField(label="Loại", required=False, choices=[("", "Tất cả")] + CertificateKind.choices)
    tinh_trang = forms.ChoiceField(label="Tình trạng", required=False, choices=[("", "Tất cả")] + CertificateStatus.choices)
    tu_ngay = forms.DateField(
        label="Cấp từ ngày", required=False, input_formats=["%d/%m/%Y"], help_text=DATE_HELP,
        error_messages={"invalid": DATE_ERROR},
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "kind": data.get("loai", ""),
            "status": data.get("tinh_trang", ""),
            "since": data.get("tu_ngay"),
        }


class ReasonForm(forms.Form):
    ly_do = forms.CharField(label="Lý do", max_length=255, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages={"required": "Vui lòng ghi lý do."})
