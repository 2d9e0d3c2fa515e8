"""Table-driven SQLAlchemy → Django QuerySet translations (``fwlint.translate.django_queries``).

Each row of ``EXACT`` is one behaviour: SQLAlchemy / Flask-SQLAlchemy code as fwlint
sees it, the Django code it must become, and the kind of query. ``LOSSY`` rows are
the translations that must admit they are partial; ``NOTES`` rows pin the semantic
warnings. ``tests/test_django_queries_proof.py`` runs a selection against both ORMs.
"""

from __future__ import annotations

import libcst as cst
import pytest

from fwlint.translate.django_queries import QueryTranslation, translate_query

MODELS = {
    "User": "User",
    "Post": "Post",
    "Comment": "Comment",
    "Book": "Book",
    "Author": "Author",
    "m.Book": "Book",
    "Tag": "Tag",
}

# (id, SQLAlchemy code, Django code, kind)
EXACT: list[tuple[str, str, str, str]] = [
    ("legacy_bare", "User.query", "User.objects.all()", "read"),
    ("legacy_all", "User.query.all()", "list(User.objects.all())", "read"),
    ("filter_by", 'User.query.filter_by(name="ann").all()', 'list(User.objects.filter(name="ann"))', "read"),
    ("filter_by_splat", "User.query.filter_by(**filters).all()", "list(User.objects.filter(**filters))", "read"),
    ("filter_eq", 'User.query.filter(User.name == "ann").first()', 'User.objects.filter(name="ann").first()', "read"),
    ("filter_reversed", "User.query.filter(18 <= User.age).all()", "list(User.objects.filter(age__gte=18))", "read"),
    ("where_gt", "select(User).where(User.age > 18)", "User.objects.filter(age__gt=18)", "read"),
    (
        "lt_lte_gt_gte",
        "User.query.filter(User.a < 1, User.b <= 2, User.c > 3, User.d >= 4).all()",
        "list(User.objects.filter(a__lt=1, b__lte=2, c__gt=3, d__gte=4))",
        "read",
    ),
    (
        "ne_exclude",
        'User.query.filter(User.status != "void").all()',
        'list(User.objects.exclude(status="void"))',
        "read",
    ),
    (
        "eq_none",
        "User.query.filter(User.deleted_at == None).all()",
        "list(User.objects.filter(deleted_at__isnull=True))",
        "read",
    ),
    (
        "ne_none",
        "User.query.filter(User.deleted_at != None).all()",
        "list(User.objects.filter(deleted_at__isnull=False))",
        "read",
    ),
    (
        "is_none",
        "User.query.filter(User.deleted_at.is_(None)).all()",
        "list(User.objects.filter(deleted_at__isnull=True))",
        "read",
    ),
    (
        "isnot_none",
        "User.query.filter(User.deleted_at.isnot(None)).all()",
        "list(User.objects.filter(deleted_at__isnull=False))",
        "read",
    ),
    (
        "is_not_none",
        "User.query.filter(User.deleted_at.is_not(None)).all()",
        "list(User.objects.filter(deleted_at__isnull=False))",
        "read",
    ),
    ("is_true", "User.query.filter(User.active.is_(True)).all()", "list(User.objects.filter(active=True))", "read"),
    ("in_", "User.query.filter(User.id.in_(ids)).all()", "list(User.objects.filter(id__in=ids))", "read"),
    ("not_in_invert", "User.query.filter(~User.id.in_(ids)).all()", "list(User.objects.exclude(id__in=ids))", "read"),
    (
        "not_in_method",
        "User.query.filter(User.id.not_in([1, 2])).all()",
        "list(User.objects.exclude(id__in=[1, 2]))",
        "read",
    ),
    (
        "like_contains",
        'User.query.filter(User.email.like("%@example.com%")).all()',
        'list(User.objects.filter(email__contains="@example.com"))',
        "read",
    ),
    (
        "like_startswith",
        'User.query.filter(User.name.like("An%")).all()',
        'list(User.objects.filter(name__startswith="An"))',
        "read",
    ),
    (
        "like_endswith",
        'User.query.filter(User.email.like("%.org")).all()',
        'list(User.objects.filter(email__endswith=".org"))',
        "read",
    ),
    (
        "ilike_contains",
        'User.query.filter(User.name.ilike("%ann%")).all()',
        'list(User.objects.filter(name__icontains="ann"))',
        "read",
    ),
    (
        "ilike_startswith",
        'User.query.filter(User.name.ilike("an%")).all()',
        'list(User.objects.filter(name__istartswith="an"))',
        "read",
    ),
    (
        "ilike_exact",
        'User.query.filter(User.name.ilike("ann")).all()',
        'list(User.objects.filter(name__iexact="ann"))',
        "read",
    ),
    (
        "like_underscore_regex",
        'User.query.filter(User.code.like("A_1%")).all()',
        'list(User.objects.filter(code__regex="^A.1.*$"))',
        "read",
    ),
    (
        "like_escape",
        'User.query.filter(User.note.like("%100\\\\%%", escape="\\\\")).all()',
        'list(User.objects.filter(note__contains="100%"))',
        "read",
    ),
    (
        "like_fstring",
        'User.query.filter(User.name.like(f"%{q}%")).all()',
        "list(User.objects.filter(name__contains=q))",
        "read",
    ),
    (
        "like_concat",
        'User.query.filter(User.name.ilike(q + "%")).all()',
        "list(User.objects.filter(name__istartswith=q))",
        "read",
    ),
    (
        "notlike",
        'User.query.filter(User.name.notlike("%bot%")).all()',
        'list(User.objects.exclude(name__contains="bot"))',
        "read",
    ),
    (
        "contains_literal",
        'User.query.filter(User.bio.contains("python")).all()',
        'list(User.objects.filter(bio__contains="python"))',
        "read",
    ),
    (
        "startswith",
        'User.query.filter(User.name.startswith("A")).all()',
        'list(User.objects.filter(name__startswith="A"))',
        "read",
    ),
    (
        "endswith",
        'User.query.filter(User.email.endswith(".org")).all()',
        'list(User.objects.filter(email__endswith=".org"))',
        "read",
    ),
    (
        "contains_autoescape",
        'User.query.filter(User.bio.contains("50%", autoescape=True)).all()',
        'list(User.objects.filter(bio__contains="50%"))',
        "read",
    ),
    (
        "between",
        "User.query.filter(User.age.between(18, 65)).all()",
        "list(User.objects.filter(age__range=(18, 65)))",
        "read",
    ),
    ("bare_boolean", "User.query.filter(User.active).all()", "list(User.objects.filter(active=True))", "read"),
    ("invert_boolean", "User.query.filter(~User.active).all()", "list(User.objects.filter(active=False))", "read"),
    ("not_boolean", "User.query.filter(not_(User.active)).all()", "list(User.objects.filter(active=False))", "read"),
    (
        "and_kwargs",
        "User.query.filter(and_(User.a == 1, User.b == 2)).all()",
        "list(User.objects.filter(a=1, b=2))",
        "read",
    ),
    (
        "or_q",
        "User.query.filter(or_(User.a == 1, User.b == 2)).all()",
        "list(User.objects.filter(Q(a=1) | Q(b=2)))",
        "read",
    ),
    (
        "or_nested_and",
        "User.query.filter(or_(User.a == 1, and_(User.b == 2, User.c < 3))).all()",
        "list(User.objects.filter(Q(a=1) | Q(b=2, c__lt=3)))",
        "read",
    ),
    (
        "not_or",
        "User.query.filter(not_(or_(User.a == 1, User.b == 2))).all()",
        "list(User.objects.exclude(Q(a=1) | Q(b=2)))",
        "read",
    ),
    (
        "invert_and",
        "User.query.filter(~and_(User.a == 1, User.b == 2)).all()",
        "list(User.objects.exclude(a=1, b=2))",
        "read",
    ),
    (
        "bitwise_or",
        "User.query.filter((User.a == 1) | (User.b == 2)).all()",
        "list(User.objects.filter(Q(a=1) | Q(b=2)))",
        "read",
    ),
    (
        "ne_inside_or",
        "User.query.filter(or_(User.a != 1, User.b == None)).all()",
        "list(User.objects.filter(~Q(a=1) | Q(b__isnull=True)))",
        "read",
    ),
    (
        "multiple_args",
        "User.query.filter(User.active, User.age > 18).all()",
        "list(User.objects.filter(active=True, age__gt=18))",
        "read",
    ),
    (
        "chained_filters",
        "User.query.filter(User.active).filter(User.age > 18).all()",
        "list(User.objects.filter(active=True, age__gt=18))",
        "read",
    ),
    (
        "same_key_twice",
        "User.query.filter(User.age > 18).filter(User.age > 20).all()",
        "list(User.objects.filter(Q(age__gt=20), age__gt=18))",
        "read",
    ),
    ("column_vs_column", "User.query.filter(User.a == User.b).all()", 'list(User.objects.filter(a=F("b")))', "read"),
    (
        "column_arithmetic",
        "User.query.filter(User.spent > User.budget * 2).all()",
        'list(User.objects.filter(spent__gt=F("budget") * 2))',
        "read",
    ),
    (
        "has",
        'Post.query.filter(Post.author.has(User.name == "ann")).all()',
        'list(Post.objects.filter(author__name="ann"))',
        "read",
    ),
    (
        "has_kwargs",
        'Post.query.filter(Post.author.has(name="ann")).all()',
        'list(Post.objects.filter(author__name="ann"))',
        "read",
    ),
    (
        "any",
        'User.query.filter(User.posts.any(Post.title.like("%django%"))).all()',
        'list(User.objects.filter(posts__title__contains="django").distinct())',
        "read",
    ),
    (
        "any_empty_negated",
        "User.query.filter(~User.posts.any()).all()",
        "list(User.objects.filter(posts__isnull=True))",
        "read",
    ),
    (
        "lower_iexact_literal",
        'User.query.filter(func.lower(User.email) == "ann@example.org").first()',
        'User.objects.filter(email__iexact="ann@example.org").first()',
        "read",
    ),
    (
        "lower_iexact_call",
        "User.query.filter(func.lower(User.email) == email.lower()).first()",
        "User.objects.filter(email__iexact=email.lower()).first()",
        "read",
    ),
    (
        "lower_alias",
        "User.query.filter(func.lower(User.email) == email).first()",
        'User.objects.alias(email_lower=Lower("email")).filter(email_lower=email).first()',
        "read",
    ),
    (
        "func_date",
        "User.query.filter(func.date(User.created) == today).all()",
        "list(User.objects.filter(created__date=today))",
        "read",
    ),
    (
        "extract_year",
        'User.query.filter(extract("year", User.created) == 2024).all()',
        "list(User.objects.filter(created__year=2024))",
        "read",
    ),
    (
        "regexp_match",
        'User.query.filter(User.email.regexp_match("^a")).all()',
        'list(User.objects.filter(email__regex="^a"))',
        "read",
    ),
    ("order_by_column", "User.query.order_by(User.name).all()", 'list(User.objects.order_by("name"))', "read"),
    (
        "order_by_desc_method",
        "User.query.order_by(User.created.desc()).all()",
        'list(User.objects.order_by("-created"))',
        "read",
    ),
    (
        "order_by_desc_function",
        "User.query.order_by(desc(User.created), asc(User.name)).all()",
        'list(User.objects.order_by("-created", "name"))',
        "read",
    ),
    ("order_by_string", 'User.query.order_by("name").all()', 'list(User.objects.order_by("name"))', "read"),
    (
        "order_by_merged",
        "User.query.order_by(User.name).order_by(User.id.desc()).all()",
        'list(User.objects.order_by("name", "-id"))',
        "read",
    ),
    ("order_by_none", "User.query.order_by(None).all()", "list(User.objects.order_by())", "read"),
    (
        "nullslast",
        "User.query.order_by(nullslast(User.last_login.desc())).all()",
        'list(User.objects.order_by(F("last_login").desc(nulls_last=True)))',
        "read",
    ),
    (
        "nulls_first_method",
        "User.query.order_by(User.last_login.asc().nulls_first()).all()",
        'list(User.objects.order_by(F("last_login").asc(nulls_first=True)))',
        "read",
    ),
    (
        "order_by_lower",
        "User.query.order_by(func.lower(User.name)).all()",
        'list(User.objects.order_by(Lower("name").asc()))',
        "read",
    ),
    ("limit", "User.query.limit(10).all()", "list(User.objects.all()[:10])", "read"),
    (
        "offset_limit_literals",
        "User.query.order_by(User.id).offset(20).limit(10).all()",
        'list(User.objects.order_by("id")[20:30])',
        "read",
    ),
    (
        "offset_limit_names",
        "User.query.order_by(User.id).offset(start).limit(size).all()",
        'list(User.objects.order_by("id")[start:start + size])',
        "read",
    ),
    ("subscript_slice", "User.query.order_by(User.id)[5:10]", 'User.objects.order_by("id")[5:10]', "read"),
    (
        "slice_method",
        "User.query.order_by(User.id).slice(5, 10).all()",
        'list(User.objects.order_by("id")[5:10])',
        "read",
    ),
    ("get", "User.query.get(5)", "User.objects.filter(pk=5).first()", "read"),
    ("session_get", "db.session.get(User, user_id)", "User.objects.filter(pk=user_id).first()", "read"),
    (
        "session_get_options",
        "db.session.get(User, 5, options=[joinedload(User.profile)])",
        'User.objects.select_related("profile").filter(pk=5).first()',
        "read",
    ),
    ("get_one", "db.session.get_one(User, 5)", "User.objects.get(pk=5)", "read"),
    ("get_or_404", "User.query.get_or_404(user_id)", "get_object_or_404(User, pk=user_id)", "read"),
    ("db_get_or_404", "db.get_or_404(User, user_id)", "get_object_or_404(User, pk=user_id)", "read"),
    ("first", "User.query.filter_by(name=name).first()", "User.objects.filter(name=name).first()", "read"),
    (
        "first_attribute",
        "User.query.filter_by(name=name).first().email",
        "User.objects.filter(name=name).first().email",
        "read",
    ),
    (
        "first_or_404_filters",
        "User.query.filter_by(username=name).first_or_404()",
        "get_object_or_404(User.objects.filter(username=name)[:1])",
        "read",
    ),
    (
        "first_or_404_pk",
        "User.query.filter_by(id=user_id).first_or_404()",
        "get_object_or_404(User, id=user_id)",
        "read",
    ),
    (
        "db_first_or_404",
        "db.first_or_404(select(User).where(User.username == name))",
        "get_object_or_404(User.objects.filter(username=name)[:1])",
        "read",
    ),
    ("one", "User.query.filter_by(username=name).one()", "User.objects.filter(username=name).get()", "read"),
    (
        "one_or_none",
        "User.query.filter_by(username=name).one_or_none()",
        "User.objects.filter(username=name).first()",
        "read",
    ),
    (
        "one_or_404",
        "User.query.filter_by(username=name).one_or_404()",
        "get_object_or_404(User, username=name)",
        "read",
    ),
    (
        "db_one_or_404",
        "db.one_or_404(select(User).filter_by(username=name))",
        "get_object_or_404(User, username=name)",
        "read",
    ),
    ("count", "User.query.filter(User.active).count()", "User.objects.filter(active=True).count()", "aggregate"),
    (
        "exists_legacy",
        "db.session.query(User.query.filter(User.email == email).exists()).scalar()",
        "User.objects.filter(email=email).exists()",
        "read",
    ),
    (
        "exists_function",
        "db.session.query(exists().where(User.email == email)).scalar()",
        "User.objects.filter(email=email).exists()",
        "read",
    ),
    (
        "exists_select",
        "db.session.scalar(select(exists().where(User.email == email)))",
        "User.objects.filter(email=email).exists()",
        "read",
    ),
    (
        "distinct",
        "db.session.query(User.country).distinct().all()",
        'list(User.objects.values_list("country", named=True).distinct())',
        "read",
    ),
    (
        "paginate_error_out_false",
        "Post.query.order_by(Post.id).paginate(page=page, per_page=20, error_out=False)",
        'Paginator(Post.objects.order_by("id"), 20).get_page(page)',
        "read",
    ),
    (
        "paginate_strict",
        "Post.query.order_by(Post.id).paginate(page=page, per_page=10)",
        'Paginator(Post.objects.order_by("id"), 10).page(page)',
        "read",
    ),
    (
        "paginate_defaults",
        "Post.query.order_by(Post.id).paginate()",
        'Paginator(Post.objects.order_by("id"), 20).page(request.GET.get("page", 1))',
        "read",
    ),
    (
        "db_paginate_items",
        "db.paginate(select(Post).order_by(Post.id), page=page, per_page=5).items",
        'Paginator(Post.objects.order_by("id"), 5).page(page).object_list',
        "read",
    ),
    (
        "paginate_total",
        "Post.query.order_by(Post.id).paginate(page=page, per_page=5).total",
        'Paginator(Post.objects.order_by("id"), 5).page(page).paginator.count',
        "read",
    ),
    (
        "join_filter",
        'Post.query.join(User).filter(User.name == "ann").all()',
        'list(Post.objects.filter(user__name="ann").distinct())',
        "read",
    ),
    (
        "join_relationship",
        'Post.query.join(Post.author).filter(User.name == "ann").all()',
        'list(Post.objects.filter(author__name="ann").distinct())',
        "read",
    ),
    (
        "join_no_filter",
        "User.query.join(User.posts).all()",
        "list(User.objects.filter(posts__isnull=False).distinct())",
        "read",
    ),
    (
        "join_2_0",
        "select(User).join(User.posts).where(Post.published)",
        "User.objects.filter(posts__published=True)",
        "read",
    ),
    (
        "join_filter_by",
        'Post.query.join(User).filter_by(name="ann").all()',
        'list(Post.objects.filter(user__name="ann").distinct())',
        "read",
    ),
    (
        "join_onclause",
        "Post.query.join(Comment, Comment.post_id == Post.id).filter(Comment.spam == False).all()",
        "list(Post.objects.filter(comment__spam=False).distinct())",
        "read",
    ),
    (
        "outerjoin",
        "Post.query.outerjoin(Comment).filter(Comment.id == None).all()",
        "list(Post.objects.filter(comment__id__isnull=True).distinct())",
        "read",
    ),
    (
        "chained_joins",
        'Comment.query.join(Post).join(User).filter(User.name == "ann").all()',
        'list(Comment.objects.filter(post__user__name="ann").distinct())',
        "read",
    ),
    (
        "joinedload",
        "Post.query.options(joinedload(Post.author)).all()",
        'list(Post.objects.select_related("author"))',
        "read",
    ),
    (
        "selectinload",
        "User.query.options(selectinload(User.posts)).all()",
        'list(User.objects.prefetch_related("posts"))',
        "read",
    ),
    (
        "subqueryload",
        "User.query.options(subqueryload(User.posts)).all()",
        'list(User.objects.prefetch_related("posts"))',
        "read",
    ),
    (
        "nested_joinedload",
        "Comment.query.options(joinedload(Comment.post).joinedload(Post.author)).all()",
        'list(Comment.objects.select_related("post__author"))',
        "read",
    ),
    (
        "nested_mixed",
        "User.query.options(selectinload(User.posts).joinedload(Post.comments)).all()",
        'list(User.objects.prefetch_related("posts__comments"))',
        "read",
    ),
    (
        "load_only",
        "User.query.options(load_only(User.name, User.email)).all()",
        'list(User.objects.only("name", "email"))',
        "read",
    ),
    ("defer", "User.query.options(defer(User.bio)).all()", 'list(User.objects.defer("bio"))', "read"),
    (
        "with_entities",
        "User.query.with_entities(User.id, User.name).all()",
        'list(User.objects.values_list("id", "name", named=True))',
        "read",
    ),
    (
        "session_query_column",
        "db.session.query(User.email).filter(User.active).all()",
        'list(User.objects.filter(active=True).values_list("email", named=True))',
        "read",
    ),
    (
        "select_columns_rows",
        "db.session.execute(select(User.name, User.email)).all()",
        'list(User.objects.values_list("name", "email", named=True))',
        "read",
    ),
    (
        "select_column_scalars",
        "db.session.scalars(select(User.email).where(User.active)).all()",
        'list(User.objects.filter(active=True).values_list("email", flat=True))',
        "read",
    ),
    ("select_column_statement", "select(User.email)", 'User.objects.values_list("email", flat=True)', "read"),
    (
        "mappings",
        "db.session.execute(select(User.name, User.email)).mappings().all()",
        'list(User.objects.values("name", "email"))',
        "read",
    ),
    (
        "scalar_column",
        "db.session.query(User.email).filter(User.id == 1).scalar()",
        'User.objects.filter(id=1).values_list("email", flat=True).first()',
        "read",
    ),
    (
        "group_by_count",
        "db.session.query(User.country, func.count(User.id)).group_by(User.country).all()",
        (
            'list(User.objects.values("country").annotate(id__count=Count("id"))'
            '.values_list("country", "id__count", named=True))'
        ),
        "aggregate",
    ),
    (
        "group_by_label_having",
        (
            'db.session.query(User.country, func.count(User.id).label("n")).group_by(User.country)'
            '.having(func.count(User.id) > 5).order_by(desc("n")).all()'
        ),
        (
            'list(User.objects.values("country").annotate(n=Count("id")).filter(n__gt=5)'
            '.order_by("-n").values_list("country", "n", named=True))'
        ),
        "aggregate",
    ),
    (
        "group_by_distinct",
        "db.session.query(User.country).group_by(User.country).all()",
        'list(User.objects.values_list("country", named=True).distinct())',
        "aggregate",
    ),
    (
        "count_column",
        "db.session.query(func.count(User.id)).scalar()",
        'User.objects.aggregate(id__count=Count("id"))["id__count"]',
        "aggregate",
    ),
    (
        "count_distinct",
        "db.session.query(func.count(distinct(User.country))).scalar()",
        'User.objects.aggregate(country__count=Count("country", distinct=True))["country__count"]',
        "aggregate",
    ),
    (
        "sum_filtered",
        "db.session.query(func.sum(Book.price)).filter(Book.author_id == 1).scalar()",
        'Book.objects.filter(author_id=1).aggregate(price__sum=Sum("price"))["price__sum"]',
        "aggregate",
    ),
    (
        "avg",
        "db.session.query(func.avg(Book.price)).scalar()",
        'Book.objects.aggregate(price__avg=Avg("price"))["price__avg"]',
        "aggregate",
    ),
    (
        "min_max_row",
        "db.session.query(func.min(Book.price), func.max(Book.price)).one()",
        'tuple(Book.objects.aggregate(price__min=Min("price"), price__max=Max("price")).values())',
        "aggregate",
    ),
    (
        "count_star_select",
        "db.session.scalar(select(func.count()).select_from(User))",
        "User.objects.count()",
        "aggregate",
    ),
    (
        "count_star_where",
        "db.session.scalar(select(func.count()).select_from(User).where(User.active))",
        "User.objects.filter(active=True).count()",
        "aggregate",
    ),
    (
        "select_count_column_statement",
        "select(func.count(User.id)).where(User.active)",
        'User.objects.filter(active=True).aggregate(id__count=Count("id"))["id__count"]',
        "aggregate",
    ),
    (
        "scalars_all",
        "db.session.scalars(select(User).where(User.active).order_by(User.id)).all()",
        'list(User.objects.filter(active=True).order_by("id"))',
        "read",
    ),
    (
        "scalars_first",
        "db.session.scalars(select(User).where(User.email == email)).first()",
        "User.objects.filter(email=email).first()",
        "read",
    ),
    (
        "execute_scalars_all",
        "db.session.execute(select(User).where(User.active)).scalars().all()",
        "list(User.objects.filter(active=True))",
        "read",
    ),
    (
        "execute_scalar_one",
        "db.session.execute(select(User).where(User.id == 1)).scalar_one()",
        "User.objects.filter(id=1).get()",
        "read",
    ),
    (
        "execute_scalar_one_or_none",
        "db.session.execute(select(User).where(User.id == 1)).scalar_one_or_none()",
        "User.objects.filter(id=1).first()",
        "read",
    ),
    (
        "session_scalar_entity",
        "db.session.scalar(select(User).where(User.id == 1))",
        "User.objects.filter(id=1).first()",
        "read",
    ),
    (
        "select_statement",
        "select(User).where(User.active).order_by(User.name)",
        'User.objects.filter(active=True).order_by("name")',
        "read",
    ),
    (
        "select_statement_limit",
        "select(User).where(User.id.in_(ids)).order_by(User.id).limit(5)",
        'User.objects.filter(id__in=ids).order_by("id")[:5]',
        "read",
    ),
    (
        "in_subquery_select",
        "User.query.filter(User.id.in_(select(Post.author_id).where(Post.published))).all()",
        'list(User.objects.filter(id__in=Post.objects.filter(published=True).values("author_id")))',
        "read",
    ),
    (
        "in_subquery_legacy",
        "User.query.filter(User.id.in_(db.session.query(Post.author_id))).all()",
        'list(User.objects.filter(id__in=Post.objects.values("author_id")))',
        "read",
    ),
    ("receiver_self_session", "self.session.query(User).count()", "User.objects.count()", "aggregate"),
    (
        "receiver_current_app",
        "current_app.db.session.query(User).filter(User.id == 3).first()",
        "User.objects.filter(id=3).first()",
        "read",
    ),
    ("receiver_bare_session", "session.query(User).all()", "list(User.objects.all())", "read"),
    (
        "dotted_model",
        "m.Book.query.filter(m.Book.price >= 10).all()",
        "list(Book.objects.filter(price__gte=10))",
        "read",
    ),
    (
        "with_for_update",
        "User.query.with_for_update(nowait=True).filter_by(id=1).one()",
        "User.objects.filter(id=1).select_for_update(nowait=True).get()",
        "read",
    ),
    ("yield_per", "User.query.yield_per(100)", "User.objects.iterator(chunk_size=100)", "read"),
    (
        "legacy_update",
        'User.query.filter_by(active=False).update({"active": True})',
        "User.objects.filter(active=False).update(active=True)",
        "write",
    ),
    (
        "legacy_update_expression",
        "User.query.filter(User.id == uid).update({User.visits: User.visits + 1})",
        'User.objects.filter(id=uid).update(visits=F("visits") + 1)',
        "write",
    ),
    (
        "legacy_delete",
        "User.query.filter(User.id.not_in(ids)).delete()",
        "User.objects.exclude(id__in=ids).delete()",
        "write",
    ),
    (
        "update_statement",
        'db.session.execute(update(User).where(User.id == 1).values(name="x", visits=User.visits + 1))',
        'User.objects.filter(id=1).update(name="x", visits=F("visits") + 1)',
        "write",
    ),
    (
        "update_all",
        "db.session.execute(update(User).values(active=False))",
        "User.objects.update(active=False)",
        "write",
    ),
    (
        "update_rowcount",
        'db.session.execute(update(User).where(User.id == 1).values({User.name: "x"})).rowcount',
        'User.objects.filter(id=1).update(name="x")',
        "write",
    ),
    (
        "delete_statement",
        "db.session.execute(delete(User).where(User.active == False))",
        "User.objects.filter(active=False).delete()",
        "write",
    ),
    ("delete_all", "db.session.execute(delete(User))", "User.objects.all().delete()", "write"),
    (
        "delete_rowcount",
        "db.session.execute(delete(User).where(User.id == 1)).rowcount",
        "User.objects.filter(id=1).delete()[0]",
        "write",
    ),
    ("insert_values", 'db.session.execute(insert(User).values(name="z"))', 'User.objects.create(name="z")', "write"),
    (
        "insert_rows",
        'insert(User).values([{"name": "a"}, {"name": "b"}])',
        'User.objects.bulk_create([User(name="a"), User(name="b")])',
        "write",
    ),
    (
        "insert_executemany",
        'db.session.execute(insert(User), [{"name": "a"}, {"name": "b"}])',
        'User.objects.bulk_create([User(name="a"), User(name="b")])',
        "write",
    ),
    (
        "insert_ignore",
        'db.session.execute(insert(Tag).values(name="x").on_conflict_do_nothing())',
        'Tag.objects.bulk_create([Tag(name="x")], ignore_conflicts=True)',
        "write",
    ),
    ("add", "db.session.add(user)", "user.save()", "write"),
    (
        "add_constructor",
        'db.session.add(User(name="ann", active=True))',
        'User.objects.create(name="ann", active=True)',
        "write",
    ),
    ("add_all", "db.session.add_all([a, b])", "for obj in [a, b]:\n    obj.save()", "write"),
    ("delete_instance", "db.session.delete(post)", "post.delete()", "write"),
    ("merge", "db.session.merge(user)", "user.save()", "write"),
    ("merge_assigned", "copy = db.session.merge(user)", "user.save()\ncopy = user", "write"),
    ("refresh", "db.session.refresh(user)", "user.refresh_from_db()", "read"),
    ("refresh_fields", 'db.session.refresh(user, ["name"])', 'user.refresh_from_db(fields=["name"])', "read"),
    ("expire", "db.session.expire(user)", "user.refresh_from_db()", "read"),
    ("commit", "db.session.commit()", "pass", "transaction"),
    ("rollback", "db.session.rollback()", "transaction.set_rollback(True)", "transaction"),
    ("flush", "db.session.flush()", "pass", "transaction"),
    ("begin", "db.session.begin()", "transaction.atomic()", "transaction"),
    ("begin_nested", "db.session.begin_nested()", "transaction.atomic()", "transaction"),
    ("no_autoflush", "db.session.no_autoflush", "nullcontext()", "transaction"),
    ("close", "db.session.close()", "pass", "transaction"),
    (
        "bulk_insert_mappings",
        "db.session.bulk_insert_mappings(User, rows)",
        "User.objects.bulk_create([User(**row) for row in rows])",
        "write",
    ),
    (
        "raw_fetchall",
        'db.session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": 5}).fetchall()',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.execute("SELECT * FROM users WHERE id = %(id)s", {"id": 5})\n    rows = cursor'
            ".fetchall()"
        ),
        "raw",
    ),
    (
        "raw_assigned",
        'rows = db.session.execute(text("SELECT id FROM users WHERE name = :n"), {"n": name}).all()',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.execute("SELECT id FROM users WHERE name = %(n)s", {"n": name})\n    rows = cursor'
            ".fetchall()"
        ),
        "raw",
    ),
    (
        "raw_scalar",
        'db.session.execute(text("SELECT count(*) FROM users")).scalar()',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.execute("SELECT count(*) FROM users")\n    row = cursor.fetchone()\n'
            "    value = row[0] if row is not None else None"
        ),
        "raw",
    ),
    (
        "raw_percent",
        'db.session.execute(text("SELECT * FROM t WHERE a LIKE \'50%\' AND b = :b"), {"b": 1}).first()',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.execute("SELECT * FROM t WHERE a LIKE \'50%%\' AND b = %(b)s", {"b": 1})\n'
            "    row = cursor.fetchone()"
        ),
        "raw",
    ),
    (
        "raw_no_params",
        'db.session.execute(text("UPDATE users SET a = 1"))',
        'with connection.cursor() as cursor:\n    cursor.execute("UPDATE users SET a = 1")',
        "raw",
    ),
    (
        "raw_bindparams",
        'db.session.execute(text("SELECT * FROM t WHERE a = :a").bindparams(a=1)).all()',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.execute("SELECT * FROM t WHERE a = %(a)s", {"a": 1})\n    rows = cursor.fetchall()'
        ),
        "raw",
    ),
    (
        "raw_mappings",
        'db.session.execute(text("SELECT * FROM users")).mappings().all()',
        (
            'with connection.cursor() as cursor:\n    cursor.execute("SELECT * FROM users")\n'
            "    columns = [column[0] for column in cursor.description]\n"
            "    rows = [dict(zip(columns, row)) for row in cursor.fetchall()]"
        ),
        "raw",
    ),
    (
        "raw_executemany",
        'db.session.execute(text("INSERT INTO t VALUES (:a)"), [{"a": 1}, {"a": 2}])',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.executemany("INSERT INTO t VALUES (%(a)s)", [{"a": 1}, {"a": 2}])'
        ),
        "raw",
    ),
    (
        "raw_rowcount",
        'db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": 1}).rowcount',
        (
            "with connection.cursor() as cursor:\n    cursor"
            '.execute("DELETE FROM users WHERE id = %(id)s", {"id": 1})\n    count = cursor'
            ".rowcount"
        ),
        "raw",
    ),
    (
        "raw_connection",
        'conn.execute(text("SELECT 1")).scalar()',
        (
            'with connection.cursor() as cursor:\n    cursor.execute("SELECT 1")\n    row = cursor'
            ".fetchone()\n    value = row[0] if row is not None else None"
        ),
        "raw",
    ),
    (
        "raw_text_statement",
        'text("SELECT * FROM users WHERE id = :id")',
        '"SELECT * FROM users WHERE id = %(id)s"',
        "raw",
    ),
    (
        "raw_cast_not_a_parameter",
        'db.session.execute(text("SELECT :x, a::text FROM t"), {"x": 1}).all()',
        (
            'with connection.cursor() as cursor:\n    cursor.execute("SELECT %(x)s, '
            'a::text FROM t", {"x": 1})\n    rows = cursor.fetchall()'
        ),
        "raw",
    ),
    (
        "raw_model_select",
        (
            "db.session.execute(select(User)"
            '.from_statement(text("SELECT * FROM users WHERE name = :n")), {"n": "x"}).scalars()'
            ".all()"
        ),
        'list(User.objects.raw("SELECT * FROM users WHERE name = %(n)s", {"n": "x"}))',
        "raw",
    ),
    (
        "raw_model_legacy",
        'User.query.from_statement(text("SELECT * FROM users WHERE name = :n")).params(n="x").all()',
        'list(User.objects.raw("SELECT * FROM users WHERE name = %(n)s", {"n": "x"}))',
        "raw",
    ),
    (
        "aggregate_filter",
        "db.session.query(func.count(User.id), func.count(User.id).filter(User.active)).one()",
        'tuple(User.objects.aggregate(id__count=Count("id"), id__count_2=Count("id", filter=Q(active=True))).values())',
        "aggregate",
    ),
    ("first_after_limit", "db.session.scalar(select(User).limit(1))", "User.objects.first()", "read"),
    (
        "first_after_offset",
        "User.query.order_by(User.id).offset(5).first()",
        'next(iter(User.objects.order_by("id")[5:6]), None)',
        "read",
    ),
    (
        "result_yield_per",
        "db.session.scalars(select(Book).order_by(Book.id)).yield_per(200)",
        'Book.objects.order_by("id").iterator(chunk_size=200)',
        "read",
    ),
    (
        "add_all_generator",
        "db.session.add_all(Tag(name=n) for n in names)",
        "for obj in (Tag(name=n) for n in names):\n    obj.save()",
        "write",
    ),
    ("raw_statement_select_param_style", 'text("SELECT 100%")', '"SELECT 100%"', "raw"),
]

# (id, SQLAlchemy code, Django code, a fragment of the note that names what was not translated)
LOSSY: list[tuple[str, str, str, str]] = [
    (
        "like_variable_pattern",
        "User.query.filter(User.name.like(pattern)).all()",
        "list(User.objects.filter(name__contains=pattern))",
        "is not a literal",
    ),
    (
        "text_criterion",
        'User.query.filter(text("age > 3")).all()',
        'list(User.objects.filter((text("age > 3"))))',
        "was kept as written",
    ),
    (
        "python_and",
        "User.query.filter(User.age > 1 and User.age < 5).all()",
        "list(User.objects.filter((User.age > 1 and User.age < 5)))",
        "Python `and`/`or`/`not` do not build SQL",
    ),
    (
        "chained_comparison",
        "User.query.filter(1 < User.age < 5).all()",
        "list(User.objects.filter((1 < User.age < 5)))",
        "Chained comparisons",
    ),
    (
        "python_is",
        "User.query.filter(User.deleted_at is None).all()",
        "list(User.objects.filter((User.deleted_at is None)))",
        "is not a SQL comparison",
    ),
    (
        "unjoined_model",
        'Post.query.filter(Post.user_id == User.id, User.name == "x").all()',
        'list(Post.objects.filter((User.name == "x"), user_id=User.id))',
        "which the query does not join",
    ),
    (
        "several_entities",
        "db.session.query(User, Post).join(Post).all()",
        "list(User.objects.filter(post__isnull=False))",
        "Several entities are selected",
    ),
    (
        "entity_rows_2_0",
        "db.session.execute(select(User)).all()",
        "list(User.objects.all())",
        "returned Row 1-tuples",
    ),
    (
        "statement_variable",
        "db.session.scalars(stmt).all()",
        "list(stmt)",
        "is built elsewhere",
    ),
    (
        "load_only_on_relation",
        "User.query.options(subqueryload(User.posts).load_only(Post.title)).all()",
        'list(User.objects.prefetch_related("posts").only("posts__title"))',
        "only() on a related model",
    ),
    (
        "entity_with_aggregate",
        "db.session.query(User, func.count(Post.id)).outerjoin(User.posts).group_by(User.id).all()",
        'list(User.objects.annotate(posts__id__count=Count("posts__id")))',
        "(Model, aggregate) rows became model instances",
    ),
    (
        "for_share",
        "User.query.with_for_update(read=True).all()",
        "list(User.objects.select_for_update())",
        "FOR SHARE",
    ),
    (
        "unknown_method_kept",
        "User.query.union(other).all()",
        "list(User.objects.union(other))",
        "`union` has no translation here",
    ),
    (
        "negative_index",
        "User.query[-5:]",
        "User.objects.all()[-5:]",
        "negative indexes",
    ),
    (
        "between_symmetric",
        "User.query.filter(User.age.between(1, 2, symmetric=True)).all()",
        "list(User.objects.filter(age__range=(1, 2)))",
        "symmetric=True",
    ),
    (
        "returning",
        "db.session.execute(update(User).where(User.id == 1).values(a=1).returning(User.id))",
        "User.objects.filter(id=1).update(a=1)",
        "RETURNING",
    ),
    (
        "bulk_update_mappings",
        "db.session.bulk_update_mappings(User, rows)",
        'for row in rows:\n    User.objects.filter(pk=row["id"]).update(**row)',
        "bulk_update_mappings()",
    ),
    (
        "text_not_literal",
        "db.session.execute(text(sql), params).fetchall()",
        "with connection.cursor() as cursor:\n    cursor.execute(sql, params)\n    rows = cursor.fetchall()",
        "not a literal",
    ),
    (
        "aliased",
        "db.session.query(aliased(User)).all()",
        "list(User.objects.all())",
        "aliased() entities",
    ),
    (
        "unknown_loader",
        "User.query.options(with_loader_criteria(Post, Post.public)).all()",
        "list(User.objects.all())",
        "loader option",
    ),
    (
        "variable_statement_chain",
        "db.session.scalars(query.order_by(Book.id).limit(20)).all()",
        'list(query.order_by("id")[:20])',
        "is built elsewhere",
    ),
    (
        "variable_paginate",
        "db.paginate(stmt, page=page, per_page=10)",
        "Paginator(stmt, 10).page(page)",
        "is built elsewhere",
    ),
    (
        "correlated_subquery",
        "select(func.count(Post.id)).where(Post.author_id == User.id).correlate_except(Post).scalar_subquery()",
        'Post.objects.filter(author_id=User.id).aggregate(id__count=Count("id"))["id__count"]',
        "OuterRef()",
    ),
]

# (id, SQLAlchemy code, a fragment of a note the translation must carry)
NOTES: list[tuple[str, str, str]] = [
    ("ne_null_rows", 'User.query.filter(User.status != "void").all()', "keep rows where `status` IS NULL"),
    ("not_in_null_rows", "User.query.filter(User.id.not_in(ids)).all()", "NOT IN drops"),
    ("first_orders_by_pk", "User.query.first()", "orders by pk when the query has no order_by()"),
    ("get_returns_none", "User.query.get(5)", "returns None for a missing row"),
    ("get_one_exception", "db.session.get_one(User, 5)", "DoesNotExist"),
    ("one_exceptions", "User.query.filter_by(a=1).one()", "MultipleObjectsReturned instead of NoResultFound"),
    ("one_or_none_many", "User.query.filter_by(a=1).one_or_none()", "never raises MultipleResultsFound"),
    ("all_is_list", "User.query.all()", "list() evaluates at once"),
    ("slicing", "User.query.limit(5).all()", "slicing, which must stay last"),
    ("first_or_404_slice", "User.query.filter_by(a=1).first_or_404()", "without [:1] several matches"),
    ("one_or_404_many", "User.query.filter_by(a=1).one_or_404()", "MultipleObjectsReturned (a 500)"),
    ("paginate_404", "Post.query.order_by(Post.id).paginate(page=2)", "catch InvalidPage and raise Http404"),
    ("paginate_clamps", "Post.query.order_by(Post.id).paginate(page=2, error_out=False)", "clamps"),
    ("paginate_unordered", "Post.query.paginate(page=2)", "UnorderedObjectListWarning"),
    ("paginate_attributes", "Post.query.order_by(Post.id).paginate(page=2)", "items → object_list"),
    ("paginate_request", "Post.query.order_by(Post.id).paginate()", "read ?page= itself"),
    ("any_distinct", "User.query.filter(User.posts.any()).all()", ".distinct() removes the duplicates"),
    ("join_name", "Post.query.join(User).all()", "is named `user`"),
    ("join_inner", "User.query.join(User.posts).all()", "`posts__isnull=False`"),
    ("join_legacy_dedupe", "User.query.join(User.posts).all()", "de-duplicated the joined entity rows"),
    ("outer_join", "Post.query.outerjoin(Comment).all()", "outer join was dropped"),
    ("onclause", "Post.query.join(Comment, Comment.post_id == Post.id).all()", "ON clause was dropped"),
    ("select_related_fk_only", "Post.query.options(joinedload(Post.comments)).all()", "prefetch_related"),
    ("iexact_ascii", 'User.query.filter(func.lower(User.email) == "a@b.c").all()', "equal for ASCII text"),
    ("contains_wildcards", "User.query.filter(User.name.contains(q)).all()", "Django escapes % and _"),
    ("regex_case", 'User.query.filter(User.code.like("A_1")).all()', "__regex does not"),
    ("like_equals_case", 'User.query.filter(User.code.like("A1")).all()', "LIKE ignores ASCII case but = does not"),
    ("update_auto_now", "User.query.filter_by(a=1).update({'b': 2})", "skips auto_now fields"),
    ("delete_signals", "User.query.filter_by(a=1).delete()", "emulates ON DELETE in Python"),
    ("delete_return", "db.session.execute(delete(User))", "returns (count, per-model counts)"),
    ("statement_runs_now", "update(User).values(a=1)", "Django runs the write at once"),
    ("add_saves_now", "db.session.add(user)", "save() writes at once"),
    ("add_all_bulk", "db.session.add_all(users)", "bulk_create(objs) is faster but skips save()"),
    ("commit_autocommit", "db.session.commit()", "Django autocommits every query"),
    ("commit_dirty", "db.session.commit()", "call save() on each one"),
    ("rollback_atomic", "db.session.rollback()", "only works inside transaction.atomic()"),
    ("flush", "db.session.flush()", "Django writes on save()"),
    ("savepoint", "db.session.begin_nested()", "savepoint"),
    ("merge_returns_none", "db.session.merge(user)", "returns None"),
    ("expire_lazy", "db.session.expire(user)", "reloaded lazily"),
    ("select_for_update_atomic", "User.query.with_for_update().all()", "must run inside transaction.atomic()"),
    ("raw_params", 'db.session.execute(text("SELECT :a"), {"a": 1}).all()', ":name to %(name)s"),
    ("raw_tuples", 'db.session.execute(text("SELECT 1")).all()', "plain tuples"),
    ("raw_model_pk", 'User.query.from_statement(text("SELECT * FROM users")).all()', "primary key"),
    ("named_rows", "db.session.query(User.a, User.b).all()", "named tuples, like SQLAlchemy's Row"),
    ("flat_statement", "select(User.email)", "values_list(flat=True) matches scalars()"),
    ("distinct_on", "db.session.query(User).distinct(User.email).all()", "PostgreSQL only"),
    ("aggregate_now", "select(func.sum(User.a))", "run at once"),
    ("row_tuple", "db.session.query(func.min(User.a), func.max(User.a)).one()", "tuple(...values())"),
    ("no_autoflush", "db.session.no_autoflush", "never autoflushes"),
    ("first_or_404_description", 'User.query.filter_by(a=1).first_or_404(description="gone")', "description"),
    ("variable_order_by", "db.session.scalars(stmt.order_by(User.id)).all()", "replaces any ordering `stmt` has"),
]

# Code that is not a query this module understands.
NOT_QUERIES = [
    'session.get("cart")',
    'session["user_id"]',
    "cache.delete(key)",
    "data.update(other)",
    "items.insert(0, x)",
    'request.args.get("q")',
    "len(User.query.all())",
    "select(x)",
    "db.session.query(*columns).all()",
    "User.query.filter(",
    "",
    "with db.session.begin(): pass",
]


def translate(code: str) -> QueryTranslation:
    translation = translate_query(code, MODELS)
    assert translation is not None, code
    return translation


@pytest.mark.parametrize(("before", "after", "kind"), [pytest.param(*row[1:], id=row[0]) for row in EXACT])
def test_exact_translation(before: str, after: str, kind: str) -> None:
    translation = translate(before)
    assert translation.code == after
    assert translation.kind == kind
    assert translation.exact, translation.notes


@pytest.mark.parametrize(("before", "after", "note"), [pytest.param(*row[1:], id=row[0]) for row in LOSSY])
def test_lossy_translation_is_flagged(before: str, after: str, note: str) -> None:
    translation = translate(before)
    assert translation.code == after
    assert not translation.exact
    assert any(note in text for text in translation.notes), translation.notes


@pytest.mark.parametrize(("code", "note"), [pytest.param(*row[1:], id=row[0]) for row in NOTES])
def test_semantic_difference_is_noted(code: str, note: str) -> None:
    assert any(note in text for text in translate(code).notes), translate(code).notes


@pytest.mark.parametrize("code", NOT_QUERIES)
def test_not_a_query(code: str) -> None:
    assert translate_query(code, MODELS) is None


ALL_CODE = [row[1] for row in EXACT] + [row[1] for row in LOSSY] + [row[1] for row in NOTES]


@pytest.mark.parametrize("code", ALL_CODE)
def test_every_output_is_valid_python(code: str) -> None:
    translation = translate(code)
    cst.parse_module(translation.code)
    for line in translation.imports:
        cst.parse_module(line)
    assert "..." not in translation.code
    assert "#" not in translation.code.replace('"#', "")


def test_kinds_are_the_documented_ones() -> None:
    kinds = {translate(code).kind for code in ALL_CODE}
    assert kinds == {"read", "write", "transaction", "raw", "aggregate"}


@pytest.mark.parametrize(
    ("code", "imports"),
    [
        ("User.query.filter(or_(User.a == 1, User.b == 2))", ["from django.db.models import Q"]),
        ("User.query.filter(User.a == User.b).count()", ["from django.db.models import F"]),
        (
            "db.session.query(User.c, func.count(User.id)).group_by(User.c).all()",
            ["from django.db.models import Count"],
        ),
        ("User.query.filter(func.lower(User.e) == e)", ["from django.db.models.functions import Lower"]),
        ("User.query.get_or_404(5)", ["from django.shortcuts import get_object_or_404"]),
        ("User.query.order_by(User.id).paginate(page=1)", ["from django.core.paginator import Paginator"]),
        ("db.session.rollback()", ["from django.db import transaction"]),
        ('db.session.execute(text("SELECT 1"))', ["from django.db import connection"]),
        ("db.session.no_autoflush", ["from contextlib import nullcontext"]),
        ("User.query.all()", []),
    ],
)
def test_imports_name_what_the_code_uses(code: str, imports: list[str]) -> None:
    assert translate(code).imports == imports


def test_assignment_keeps_its_target() -> None:
    assert translate("users = User.query.filter_by(a=1).all()").code == "users = list(User.objects.filter(a=1))"


def test_model_names_map_to_django_class_names() -> None:
    translation = translate_query("models.Account.query.get(1)", {"models.Account": "Customer"})
    assert translation is not None
    assert translation.code == "Customer.objects.filter(pk=1).first()"


def test_whitespace_normalised_multiline_chain() -> None:
    code = "( User.query .filter(User.active == True) .order_by(User.name) .all() )"
    assert translate(code).code == 'list(User.objects.filter(active=True).order_by("name"))'


def test_notes_are_unique_short_sentences() -> None:
    for code in ALL_CODE:
        notes = translate(code).notes
        assert len(notes) == len(set(notes)), code
        assert all(len(text) < 260 for text in notes), code


def test_enough_cases() -> None:
    assert len(EXACT) >= 80


def test_known_relations_replace_guessed_join_names() -> None:
    code = "db.session.query(User.name).join(Appointment, Appointment.vet_id == User.id).all()"
    models = {"User": "User", "Appointment": "Appointment"}
    guessed = translate_query(code, models)
    known = translate_query(code, models, {("User", "Appointment"): "appointments"})
    assert guessed is not None and known is not None
    assert "appointment__" in guessed.code or 'appointment"' in guessed.code
    assert "appointments" in known.code and "appointment__" not in known.code.replace("appointments__", "")


def test_a_join_no_project_relation_explains_is_not_exact() -> None:
    code = "User.query.join(Invoice).filter(Invoice.amount > 5).all()"
    result = translate_query(code, {"User": "User", "Invoice": "Invoice"}, {("User", "Appointment"): "appointments"})
    assert result is not None and not result.exact
    assert any("Assumed the relation from User to Invoice" in note for note in result.notes)
