"""The ledger's addresses, under /ledger/: public tree heads and proofs, and report receipts."""

from django.urls import URLPattern, path

from lotrinh.ledger import views

app_name = "ledger"
urlpatterns: list[URLPattern] = [
    path("sth.json", views.tree_head, name="sth"),
    path("consistency", views.consistency_proof, name="consistency"),
    path(
        "receipt/<slug:regime_code>/<str:period_code>/<slug:structure>/<str:unit_code>/",
        views.receipt,
        name="receipt",
    ),
]
