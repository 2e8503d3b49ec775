import factory
from factory.django import DjangoModelFactory

from community.models import Commune, Household, Official, Resident, Team, TeamMembership, User


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    kind = "phuong"
    group = "I"


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"HO-{n:04d}")
    hamlet = "Khu phố 1"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"nguoi{n}@example.vn")
    password = factory.django.Password("MatKhau@2026")


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    commune = factory.LazyAttribute(lambda o: o.household.commune)
    full_name = "Nguyễn Thị Hồng Nhung"
    birth_year = 1962
    user = factory.SubFactory(UserFactory)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    commune = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda o: f"Tổ CNSCĐ {o.commune.name}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    resident = factory.SubFactory(ResidentFactory)


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    user = factory.SubFactory(UserFactory)
    level = "xa"
    commune = factory.SubFactory(CommuneFactory)
