"""The OpenAPI schema declares the refusals the API really gives, with the body they really have."""

import json

import pytest
from django.contrib.auth.models import User

from lotrinh.access.models import Membership, Role
from lotrinh.api.schemas.reporting import ErrorOut
from lotrinh.api.snapshot import current_schema
from lotrinh.indicators.models import Observation
from lotrinh.orgunits.models import OrgUnit, Structure, Tier

pytestmark = pytest.mark.django_db

ERROR_BODY = {"$ref": "#/components/schemas/ErrorOut"}


def _responses(path: str, method: str) -> dict[str, dict]:
    schema = json.loads(current_schema())
    assert "ErrorOut" in schema["components"]["schemas"]
    return schema["paths"][f"/api/v1{path}"][method]["responses"]


def _body_schema(response: dict) -> dict:
    return response["content"]["application/json"]["schema"]


def test_a_public_list_declares_the_refusal_of_a_bad_query_it_gives(client):
    refused = client.get("/api/v1/units", {"offset": "mười"})
    assert refused.status_code == 422
    ErrorOut.model_validate(refused.json())
    declared = _responses("/units", "get")
    assert _body_schema(declared["422"]) == ERROR_BODY
    # Nobody signs in to read the units, so nobody is told to.
    assert "401" not in declared and "403" not in declared


def test_a_unit_that_does_not_exist_is_a_declared_404(client):
    missing = client.get("/api/v1/units/2025/99999")
    assert missing.status_code == 404
    ErrorOut.model_validate(missing.json())
    assert _body_schema(_responses("/units/{structure}/{code}", "get")["404"]) == ERROR_BODY


def test_an_operation_without_input_declares_only_the_refusals_of_signing_in(client):
    refused = client.get("/api/v1/regimes")
    assert refused.status_code == 401
    ErrorOut.model_validate(refused.json())
    declared = _responses("/regimes", "get")
    assert {"401", "403"} <= set(declared)
    assert not {"400", "404", "422"} & set(declared)


def test_an_import_without_its_file_is_a_declared_422_and_keeps_nothing(client):
    officer = User.objects.create_user("ke_hoach", password="x")
    Membership.objects.create(
        user=officer,
        org_unit=OrgUnit.objects.get(structure=Structure.CURRENT, tier=Tier.PROVINCE, code="52"),
        role=Role.OFFICER,
    )
    client.force_login(officer)
    before = Observation.objects.count()
    refused = client.post("/api/v1/published-figures/import?apply=true", {})
    assert refused.status_code == 422
    body = ErrorOut.model_validate(refused.json())
    assert body.errors and body.errors[0].loc == ["file", "file"]
    assert "“file” (file)" in body.detail_en
    declared = _body_schema(_responses("/published-figures/import", "post")["422"])
    # The rows with what is wrong with them, or this refusal of the request itself.
    assert ERROR_BODY in declared["anyOf"]
    assert {"$ref": "#/components/schemas/FigureImportRefusedOut"} in declared["anyOf"]
    assert Observation.objects.count() == before
