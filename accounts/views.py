from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from regulators.pages import registration_summary

from .erasure import ErasureRefused, erase_account, reasons_to_wait
from .forms import AccountDeletionForm, ProfileForm


def profile(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ProfileForm(request.POST or None, instance=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("portfolio:dashboard")
    context = {"form": form, "registration": registration_summary(request.user, today)}
    return render(request, "accounts/profile.html", context)


# Only after the person proves again who they are (password, or their second factor when MFA
# is on): a session left open on a shared computer cannot delete anyone's account.
@require_http_methods(["GET", "POST"])
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """What deleting the account does, in plain words, and the confirmation."""
    form = AccountDeletionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            erase_account(request.user)
        except ErasureRefused as refusal:
            messages.error(request, str(refusal))
        else:
            logout(request)
            messages.success(request, "Your account and everything in it have been deleted.")
            return redirect("home")
    context = {"form": form, "reasons_to_wait": reasons_to_wait(request.user)}
    return render(request, "accounts/delete.html", context, status=400 if form.errors else 200)
