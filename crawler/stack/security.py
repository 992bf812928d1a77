"""Roles and users of the compose stack, applied idempotently with the `elastic` user."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from crawler.stack.objects import load_object

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)


class MissingSecret(Exception):
    """A password the set-up needs is not in the environment."""


def apply_security(
    client: Elasticsearch, prefix: str, passwords: Mapping[str, str], kibana_password: str
) -> list[str]:
    """Create or update roles and users; set `kibana_system`'s password. Returns user names.

    `passwords` maps each `password_env` named in roles.json to its value.
    """
    spec = load_object("roles.json", prefix)
    for name, role in spec["roles"].items():
        client.security.put_role(name=name, **role)
        logger.info("role %s applied", name)
    users = []
    for username, user in spec["users"].items():
        password = passwords.get(user["password_env"])
        if not password:
            raise MissingSecret(f"{user['password_env']} is not set (password of {username})")
        client.security.put_user(username=username, password=password, roles=user["roles"])
        users.append(username)
        logger.info("user %s applied", username)
    client.security.change_password(username="kibana_system", password=kibana_password)
    logger.info("kibana_system password set")
    return users
