from django.contrib import admin

from .models import Target

admin.site.register(Target)
