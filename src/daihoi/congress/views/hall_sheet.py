"""The hall's address (a setting, with this server's LAN addresses offered) and the printable hall
sheet: the Wi-Fi name, the address and its QR code, posted at the entrance and on the tables."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.actions import hall_address as actions
from daihoi.congress.cards import hall_address, is_loopback, lan_addresses, qr_data_uri
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress


def _port(request: HttpRequest) -> str:
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    return "" if port == default else f":{port}"


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(Role.ORGANIZER)
def hall_address_setting(request: CongressRequest, slug: str) -> HttpResponse:
    """Set the address phones open; the server's own LAN addresses are offered."""
    congress: Congress = request.congress
    error = None
    form = {"hall_address": congress.hall_address, "wifi_name": congress.wifi_name}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            actions.set_hall_address(
                congress,
                address=form["hall_address"],
                wifi_name=form["wifi_name"],
                actor=request.actor,
            )
        except ActionError as e:
            error = e
        else:
            messages.success(request, _("Đã lưu địa chỉ hội trường."))
            return redirect("hall_address", slug)
    scheme = "https" if request.is_secure() else "http"
    offered = [f"{scheme}://{ip}{_port(request)}" for ip in lan_addresses()]
    address = hall_address(congress)
    context = {
        "congress": congress,
        "form": form,
        "error": error,
        "offered": offered,
        "address": address,
        "is_loopback": is_loopback(address),
    }
    return render(request, "congress/hall_address.html", context, status=400 if error else 200)


@never_cache
@require_GET
@congress_view(Role.ORGANIZER, Role.SECRETARIAT)
def hall_sheet(request: CongressRequest, slug: str) -> HttpResponse:
    """One A4 page to print: the Wi-Fi name, the hall address and its QR code."""
    congress: Congress = request.congress
    address = hall_address(congress)
    context = {
        "congress": congress,
        "address": address,
        "is_loopback": is_loopback(address),
        "qr": qr_data_uri(address + "/d/") if address else "",
        "sign_in_url": address + "/d/" if address else "",
    }
    return render(request, "congress/hall_sheet.html", context)
