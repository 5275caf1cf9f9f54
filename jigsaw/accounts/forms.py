from django import forms

from jigsaw.accounts.models import ApiKeyScope, LocalAuthority, Organisation, OrganisationKind
from jigsaw.accounts.roles import Role, role_problem
from jigsaw.guidance.identifiers import is_ascii_digits


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "local_authority", "urn", "ods_code", "independent",
                  "safeguarding_phone", "safeguarding_email"]
        labels = {"urn": "URN (schools, nurseries and colleges)", "ods_code": "ODS code (NHS)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = LocalAuthority.objects.all()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        urn = data.get("urn", "")
        if kind == OrganisationKind.SCHOOL and not urn:
            self.add_error("urn", "Enter the school's URN")
        if urn and not (is_ascii_digits(urn) and len(urn) == 6):
            self.add_error("urn", "URN must be 6 digits")
        if kind in {OrganisationKind.NHS_TRUST, OrganisationKind.NHS_UNSCHEDULED_CARE} and not data.get("ods_code"):
            self.add_error("ods_code", "Enter the ODS code")
        return data


class RoleFitsOrganisation:
    """Checks the chosen role can be held in the organisation the form is for."""

    def __init__(self, *args, organisation: Organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_role(self):
        role = self.cleaned_data["role"]
        problem = role_problem(role, self.organisation.kind)
        if problem:
            raise forms.ValidationError(problem)
        return role


class InviteForm(RoleFitsOrganisation, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)


class RoleForm(RoleFitsOrganisation, forms.Form):
    role = forms.ChoiceField(label="New role", choices=Role.choices, widget=forms.RadioSelect)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label="What system will use this key", max_length=100)
    scopes = forms.MultipleChoiceField(label="What it may do", choices=ApiKeyScope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label="Days until it expires", min_value=1, max_value=365, initial=90)
