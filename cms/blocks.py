"""StreamField blocks for lessons: small, reusable, readable on a phone."""
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Tiêu đề mục")
        template = "cms/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    alt = blocks.CharBlock(label=_("Mô tả ảnh cho người khiếm thị"), max_length=200)
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Ảnh")
        template = "cms/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Đường dẫn video"))
    transcript = blocks.RichTextBlock(label=_("Lời thoại (bản chữ)"), features=RICH_FEATURES)

    class Meta:
        icon = "media"
        label = _("Video kèm lời thoại")
        template = "cms/blocks/video.html"


class StepBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Việc cần làm"))
    image = ImageChooserBlock(label=_("Ảnh chụp màn hình"), required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tên hướng dẫn"), required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Các bước"))

    class Meta:
        icon = "list-ol"
        label = _("Hướng dẫn từng bước")
        template = "cms/blocks/steps.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Mẹo")), ("warning", _("Cảnh báo"))], default="tip", label=_("Loại")
    )
    title = blocks.CharBlock(label=_("Tiêu đề"), required=False)
    text = blocks.TextBlock(label=_("Nội dung"))

    class Meta:
        icon = "warning"
        label = _("Hộp lưu ý")
        template = "cms/blocks/callout.html"


class QuickCheckOption(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Phương án"))
    correct = blocks.BooleanBlock(label=_("Đúng"), required=False)


class QuickCheckBlock(blocks.StructBlock):
    """Formative only: the answer is shown at once and never counts towards a certificate."""

    question = blocks.CharBlock(label=_("Câu hỏi"))
    options = blocks.ListBlock(QuickCheckOption(), label=_("Phương án"))
    explanation = blocks.TextBlock(label=_("Giải thích"))

    class Meta:
        icon = "help"
        label = _("Câu hỏi tự kiểm tra")
        template = "cms/blocks/quick_check.html"


class SourcesBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label=_("Nguồn")), **kwargs)

    class Meta:
        icon = "link"
        label = _("Nguồn tham khảo")
        template = "cms/blocks/sources.html"


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Đoạn văn"), features=RICH_FEATURES, template="cms/blocks/paragraph.html")
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    steps = StepsBlock()
    callout = CalloutBlock()
    quick_check = QuickCheckBlock()
    sources = SourcesBlock()
