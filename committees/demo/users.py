"""Demo logins, one per persona, all with one printed password.

What each may do follows from the role and the committee or branch (``committees.access``), not from Django's
per-model permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from committees.models import User

from .tree import GUIZHOU, HEILONGJIANG, Tree

DEMO_PASSWORD = "demo-pass-2020"
# A fixed salt makes the stored hash the same on every run, so a re-run compares instead of re-saving.
DEMO_SALT = "committeereportingdemo2020"
BRANCH_CHAIR_BRANCH = ("230100", "哈尔滨师范大学支部")


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    last_name: str
    first_name: str
    committee: str | None = None
    branch: tuple[str, str] | None = None


LOGINS = (
    Login("admin", User.Role.ADMIN, "系统", "管理员"),
    Login("hlj_clerk", User.Role.STAFF, "王", "秀梅", committee=HEILONGJIANG),
    Login("hlj_leader", User.Role.LEADER, "张", "显友", committee=HEILONGJIANG),
    Login("hrb_clerk", User.Role.STAFF, "刘", "晓东", committee="230100"),
    Login("gz_clerk", User.Role.STAFF, "杨", "丽娟", committee=GUIZHOU),
    Login("gz_leader", User.Role.LEADER, "罗", "建国", committee=GUIZHOU),
    Login("branch_chair", User.Role.BRANCH, "赵", "志刚", branch=BRANCH_CHAIR_BRANCH),
)


def load_users(tree: Tree) -> list[User]:
    password = make_password(DEMO_PASSWORD, salt=DEMO_SALT)
    existing = {u.username: u for u in User.objects.filter(username__in=[login.username for login in LOGINS])}
    users = []
    for login in LOGINS:
        superuser = login.role == User.Role.ADMIN
        values = {
            "role": login.role,
            "last_name": login.last_name,
            "first_name": login.first_name,
            "committee": tree.committees[login.committee] if login.committee else None,
            "branch": tree.branch(*login.branch) if login.branch else None,
            "is_staff": True,
            "is_superuser": superuser,
            "is_active": True,
            "can_view_personal_data": login.role in (User.Role.ADMIN, User.Role.STAFF),
        }
        user = existing.get(login.username)
        if user is None:
            user = User(username=login.username, password=password, **values)
            user.save()
        else:
            differs = [k for k, v in values.items() if getattr(user, k) != v]
            for k in differs:
                setattr(user, k, values[k])
            if differs:
                user.save()
            if user.password != password:
                # Through the queryset: a reset password is not a change worth a history row.
                User.objects.filter(pk=user.pk).update(password=password)
        users.append(user)
    return users
