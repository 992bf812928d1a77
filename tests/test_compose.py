"""docker-compose.yml: valid per the Compose Specification, and secured as operators expect.

There is no Docker engine on the test machines, so these checks read the file;
the commands the containers run are exercised elsewhere against the test node.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from crawler.cli import build_parser
from crawler.config import load_config

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = Path(__file__).parent / "fixtures" / "compose" / "compose-spec.json"
SECRETS = {
    "ELASTIC_PASSWORD",
    "KIBANA_PASSWORD",
    "KIBANA_ENCRYPTION_KEY",
    "NEWSWATCH_WRITER_PASSWORD",
    "NEWSWATCH_READER_PASSWORD",
    "REDIS_PASSWORD",
}
LONG_RUNNING = {"elasticsearch", "kibana", "redis", "scheduler", "worker", "api"}
ONE_SHOT = {"certs", "setup", "kibana-setup"}
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(:?[-?])?([^}]*)\}")


@pytest.fixture(scope="module")
def compose_text() -> str:
    return COMPOSE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict:
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def test_valid_against_the_compose_specification(compose: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator(schema).validate(compose)


def test_every_service_is_there(services: dict) -> None:
    assert set(services) == LONG_RUNNING | ONE_SHOT


def test_images_are_pinned_and_elastic_versions_match(services: dict) -> None:
    versions = set()
    for name, service in services.items():
        image = service["image"]
        repository, _, tag = image.rpartition(":")
        assert tag and tag != "latest" and re.match(r"\d+\.\d+\.\d+$", tag), (name, image)
        if repository.startswith("docker.elastic.co/"):
            versions.add(tag)
    assert len(versions) == 1, f"Elasticsearch and Kibana versions differ: {versions}"
    (version,) = versions
    import elasticsearch

    assert version.split(".")[0] == str(elasticsearch.__versionstr__).split(".")[0]


def test_long_running_services_restart_and_have_health(services: dict) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for name in LONG_RUNNING:
        service = services[name]
        assert service.get("restart") == "unless-stopped", name
        has_check = "healthcheck" in service and not service["healthcheck"].get("disable")
        # The scheduler and the workers rely on the image's own HEALTHCHECK.
        assert has_check or (service.get("build") and "HEALTHCHECK" in dockerfile), name


def test_start_order_waits_for_health_and_setup(services: dict) -> None:
    def condition(service: str, dependency: str) -> str:
        return services[service]["depends_on"][dependency]["condition"]

    assert condition("elasticsearch", "certs") == "service_healthy"
    assert condition("setup", "elasticsearch") == "service_healthy"
    for service in ("kibana", "scheduler", "worker", "api"):
        assert condition(service, "setup") == "service_completed_successfully"
    for service in ("scheduler", "worker"):
        assert condition(service, "redis") == "service_healthy"
    assert condition("kibana-setup", "kibana") == "service_healthy"


def test_ports_are_published_on_loopback_only(services: dict) -> None:
    published = 0
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
            published += 1
    assert published == 4  # Elasticsearch, Kibana, Redis, the API


def test_secrets_come_from_env_and_are_required(compose_text: str, services: dict) -> None:
    uses = VARIABLE.findall(compose_text)
    for variable, operator, _message in uses:
        if variable in SECRETS:
            assert operator == ":?", f"{variable} must be guarded with ${{{variable}:?message}}"
    assert {variable for variable, _, _ in uses} >= SECRETS
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if "PASSWORD" in key or "KEY" in key:
                assert str(value).startswith("${") or value == "", (name, key)


def test_env_example_documents_every_variable_and_holds_no_secret(compose_text: str) -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    for variable, _, _ in VARIABLE.findall(compose_text):
        assert variable in documented, f"{variable} is not in .env.example"
    for secret in SECRETS:
        assert documented[secret] == "", f"{secret} has a value in .env.example"


def test_newswatch_commands_are_real_subcommands(services: dict) -> None:
    parser = build_parser()
    commands = 0
    for name, service in services.items():
        command = service.get("command")
        if isinstance(command, list) and command[0] == "newswatch":
            args = parser.parse_args(command[1:])
            assert callable(args.func), name
            commands += 1
    assert commands == 5  # setup, kibana-setup, scheduler, worker, api


@pytest.mark.parametrize("service", ["scheduler", "worker"])
def test_mounted_config_loads_with_the_stacks_environment(services: dict, service: str) -> None:
    environment = {
        key: str(value).replace("${REDIS_PASSWORD:?", "${REDIS_PASSWORD}").split(":?")[0]
        for key, value in services[service]["environment"].items()
    }
    environment = {key: value.removeprefix("${") for key, value in environment.items()}
    environment["NEWSWATCH_ELASTICSEARCH_PASSWORD"] = "from-dotenv"
    mount = next(
        v for v in services[service]["volumes"] if v.endswith(":/etc/newswatch/newswatch.yaml:ro")
    )
    default_path = mount.split(":-", 1)[1].split("}", 1)[0]
    config = load_config(ROOT / default_path, environ=environment)
    assert config.index.backend == "elasticsearch"
    assert config.index.elasticsearch.url == ["https://elasticsearch:9200"]
    assert config.index.elasticsearch.username == "newswatch_writer"
    assert config.dispatch.mode == "queue"
    assert config.dispatch.broker_url.startswith("redis://:")
    assert config.dispatch.broker_url.endswith("@redis:6379/0")
    state_dir = {"scheduler": "/var/lib/newswatch", "worker": "/tmp/newswatch"}[service]
    assert str(config.state_dir) == state_dir


def test_redis_needs_its_password_and_keeps_its_queue(services: dict) -> None:
    redis = services["redis"]
    command = " ".join(redis["command"])
    assert '--requirepass "$$REDIS_PASSWORD"' in command and "--appendonly yes" in command
    assert "--appendfsync everysec" in command and "--maxmemory-policy noeviction" in command
    assert "REDIS_PASSWORD" in redis["healthcheck"]["test"][1]
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


def test_certificate_script_is_valid_bash() -> None:
    import subprocess

    script = ROOT / "deploy" / "create-certs.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    # Re-running the stack must not replace existing certificates.
    assert 'if [ ! -f "$certs/ca.zip" ]' in text and 'if [ ! -f "$certs/certs.zip" ]' in text
