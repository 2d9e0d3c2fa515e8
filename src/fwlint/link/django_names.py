"""Public names for Django and Django REST framework objects defined in submodules.

A project may import ``CharField`` from ``django.db.models.fields`` or ``ListView`` from
``django.views.generic.list``; rules name the public spelling (``django.db.models.CharField``,
``django.views.generic.ListView``), so the linker rewrites the module part once here.
"""

from __future__ import annotations

DJANGO_PUBLIC_NAMES = {
    # Models: fields, relations, expressions, managers and querysets are re-exported by django.db.models.
    "django.db.models.base": "django.db.models",
    "django.db.models.fields": "django.db.models",
    "django.db.models.fields.related": "django.db.models",
    # JSON key transforms live in the json module only (``KT`` is not re-exported by django.db.models).
    "django.db.models.fields.json": "django.db.models.fields.json",
    "django.db.models.fields.json.JSONField": "django.db.models.JSONField",
    "django.db.models.fields.json.KT": "django.db.models.KT",
    "django.db.models.fields.json.KeyTextTransform": "django.db.models.KeyTextTransform",
    "django.db.models.fields.files": "django.db.models",
    "django.db.models.fields.proxy": "django.db.models",
    "django.db.models.deletion": "django.db.models",
    "django.db.models.query": "django.db.models",
    "django.db.models.query_utils": "django.db.models",
    "django.db.models.manager": "django.db.models",
    "django.db.models.expressions": "django.db.models",
    "django.db.models.aggregates": "django.db.models",
    "django.db.models.constraints": "django.db.models",
    "django.db.models.indexes": "django.db.models",
    "django.db.models.enums": "django.db.models",
    "django.db.models.lookups": "django.db.models.lookups",
    "django.db.utils": "django.db",
    "django.contrib.postgres.fields.ranges": "django.contrib.postgres.fields",
    "django.contrib.postgres.fields.array": "django.contrib.postgres.fields",
    "django.contrib.postgres.fields.hstore": "django.contrib.postgres.fields",
    "django.core.validators.ValidationError": "django.core.exceptions.ValidationError",
    # ``Model.objects`` is the default manager: its methods are Manager (QuerySet) methods.
    "django.db.models.Model.objects": "django.db.models.Manager",
    # HTTP.
    "django.http.response": "django.http",
    "django.http.request": "django.http",
    # What a view receives under WSGI (``request.__class__``) is an HttpRequest.
    "django.core.handlers.wsgi.WSGIRequest": "django.http.HttpRequest",
    # URLs.
    "django.urls.conf": "django.urls",
    "django.urls.base": "django.urls",
    "django.urls.resolvers": "django.urls",
    "django.urls.converters.register_converter": "django.urls.register_converter",
    "django.conf.urls.include": "django.urls.include",
    "django.urls.exceptions": "django.urls",
    "django.core.urlresolvers": "django.urls",
    "django.shortcuts.reverse": "django.urls.reverse",
    # ``django.shortcuts`` re-exports a few HTTP names.
    "django.shortcuts.HttpResponse": "django.http.HttpResponse",
    "django.shortcuts.Http404": "django.http.Http404",
    "django.shortcuts.HttpResponseRedirect": "django.http.HttpResponseRedirect",
    "django.shortcuts.HttpResponsePermanentRedirect": "django.http.HttpResponsePermanentRedirect",
    "django.template.exceptions": "django.template",
    # Views.
    "django.views.generic.base": "django.views.generic",
    "django.views.generic.list": "django.views.generic",
    "django.views.generic.detail": "django.views.generic",
    "django.views.generic.edit": "django.views.generic",
    "django.views.generic.dates": "django.views.generic",
    # Forms.
    "django.forms.fields": "django.forms",
    "django.forms.widgets": "django.forms",
    "django.forms.forms": "django.forms",
    "django.forms.models": "django.forms",
    "django.forms.formsets": "django.forms",
    "django.forms.boundfield": "django.forms",
    "django.forms.utils.ValidationError": "django.core.exceptions.ValidationError",
    "django.forms.ValidationError": "django.core.exceptions.ValidationError",
    # Auth.
    "django.contrib.auth.base_user": "django.contrib.auth.models",
    # Admin.
    "django.contrib.admin.options": "django.contrib.admin",
    "django.contrib.admin.sites.site": "django.contrib.admin.site",
    "django.contrib.admin.decorators": "django.contrib.admin",
    # Tests, signals, mail, commands, apps.
    "django.test.testcases": "django.test",
    "django.test.client": "django.test",
    "django.test.utils.override_settings": "django.test.override_settings",
    "django.dispatch.dispatcher": "django.dispatch",
    "django.core.mail.message": "django.core.mail",
    "django.apps.config.AppConfig": "django.apps.AppConfig",
    # Django REST framework: fields and relations are re-exported by ``rest_framework.serializers``.
    "rest_framework.fields": "rest_framework.serializers",
    "rest_framework.relations": "rest_framework.serializers",
    "django.contrib.admin.sites.AdminSite": "django.contrib.admin.AdminSite",
    "django.contrib.admin.filters": "django.contrib.admin",
    # Templates.
    "django.template.library.Library": "django.template.Library",
    "django.template.base.Library": "django.template.Library",
}
