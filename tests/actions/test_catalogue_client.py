"""The catalogue client: typed results from the real catalogue, and CatalogueUnavailable for every failure."""

from __future__ import annotations

import time

from conftest import FakeCatalogue

from actions.catalogue_client import CatalogueClient, CatalogueUnavailable, Door, KommuneMatch, RouteResult
from actions.settings import ActionSettings


async def test_route_returns_typed_doors_best_first(live_client: CatalogueClient) -> None:
    result = await live_client.route("angst_uro", kommune="9999", age=15)

    assert isinstance(result, RouteResult)
    assert all(isinstance(door, Door) for door in result.doors)
    assert result.doors[0].category == "helsesykepleier"
    assert result.kommune is not None and result.kommune.name == "Eksempel kommune"
    assert (result.urgency, result.kommune_known, result.from_cache) == ("snart", True, False)


async def test_route_without_kommune_names_generic_doors(live_client: CatalogueClient) -> None:
    result = await live_client.route("angst_uro")

    assert isinstance(result, RouteResult)
    assert result.doors[0].generic
    assert result.doors[0].name == "Helsesykepleieren på skolen din"
    assert result.age_dependent


async def test_route_asks_in_the_users_language(live_client: CatalogueClient) -> None:
    result = await live_client.route("angst_uro", lang="nn")

    assert isinstance(result, RouteResult)
    assert result.doors[0].name == "Helsesjukepleiaren på skulen din"


async def test_find_kommune_tolerates_missing_letters(live_client: CatalogueClient) -> None:
    match = await live_client.find_kommune("barum")

    assert isinstance(match, KommuneMatch)
    assert (match.kommunenummer, match.name) == ("3201", "Bærum")
    assert match.sure


async def test_find_kommune_with_nothing_close_is_none(live_client: CatalogueClient) -> None:
    assert await live_client.find_kommune("xyzzy") is None


async def test_closed_port_is_unavailable_not_an_exception(down_client: CatalogueClient) -> None:
    result = await down_client.route("angst_uro")

    assert isinstance(result, CatalogueUnavailable)
    assert result.reason.startswith("connection failed")


async def test_unknown_need_is_unavailable(live_client: CatalogueClient) -> None:
    assert await live_client.route("not_a_need") == CatalogueUnavailable("HTTP 422")


async def test_slow_catalogue_is_cut_at_the_read_timeout(fake_catalogue: FakeCatalogue) -> None:
    fake_catalogue.delay = 5.0
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url, timeout=0.3, connect_timeout=0.2))

    started = time.monotonic()
    result = await client.route("angst_uro")

    assert result == CatalogueUnavailable("timeout")
    assert time.monotonic() - started < 1.5


async def test_trickling_catalogue_is_cut_at_the_overall_deadline(fake_catalogue: FakeCatalogue) -> None:
    # Each byte comes well within the read timeout, but the whole answer would take seconds.
    fake_catalogue.body = b'{"need": "angst_uro", "urgency": "snart", "doors": []}'
    fake_catalogue.trickle = 0.1
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url, timeout=0.4, connect_timeout=0.2))

    started = time.monotonic()
    result = await client.route("angst_uro")

    assert result == CatalogueUnavailable("timeout")
    assert time.monotonic() - started < 1.5


async def test_server_error_is_unavailable(fake_catalogue: FakeCatalogue) -> None:
    fake_catalogue.status = 503
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url))

    assert await client.route("angst_uro") == CatalogueUnavailable("HTTP 503")


async def test_answer_that_is_not_json_is_unavailable(fake_catalogue: FakeCatalogue) -> None:
    fake_catalogue.body = b"<html>Bad gateway</html>"
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url))

    assert await client.route("angst_uro") == CatalogueUnavailable("malformed answer (not JSON)")


async def test_json_of_the_wrong_shape_is_unavailable(fake_catalogue: FakeCatalogue) -> None:
    fake_catalogue.body = b'{"need": "angst_uro", "urgency": "snart", "doors": [{"category": 7}]}'
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url))

    result = await client.route("angst_uro")

    assert isinstance(result, CatalogueUnavailable)
    assert result.reason.startswith("malformed answer")


async def test_municipality_search_of_the_wrong_shape_is_unavailable(fake_catalogue: FakeCatalogue) -> None:
    fake_catalogue.body = b'{"kommunenummer": "3201"}'
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url))

    assert isinstance(await client.find_kommune("Bærum"), CatalogueUnavailable)


async def test_client_sends_need_kommune_age_and_language(fake_catalogue: FakeCatalogue) -> None:
    client = CatalogueClient(ActionSettings(catalogue_url=fake_catalogue.url))

    await client.route("sorg", kommune="9999", age=15, lang="en")

    assert fake_catalogue.requests == ["/api/v1/route?need=sorg&lang=en&kommune=9999&age=15"]


async def test_requests_share_one_tls_context(live_client: CatalogueClient) -> None:
    from actions.catalogue_client import ssl_context

    await live_client.route("angst_uro")
    await live_client.route("sorg")

    assert ssl_context.cache_info().currsize == 1
