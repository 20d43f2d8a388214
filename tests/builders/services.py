"""The service world of the service, service instance, pipeline and deployment tests, and the
calls they repeat on it."""

from . import (
    ACCOUNT,
    NO_WAIT,
    REPOSITORY,
    ROLE,
    env_template,
    environment,
    service_spec,
    service_version,
)

#: The state-manager model of a service's deletion (`ProtonMock.set_transition`).
DELETION = "proton::service-deletion"
PIPELINE_ROLES_MISSING = "Operation cannot be run until pipeline roles have been configured"

ONE = service_spec(("one", "dev", {"port": 80}), pipeline={"test": "make test"})
TWO = service_spec(("one", "dev", {"port": 80}), ("two", "prod"), pipeline={"test": "make test"})


def service_world(proton):
    """Environments dev and prod (vpc 1.0), service templates web (with a pipeline) and
    worker (without), each with version 1.0 published, and a pipeline service role."""
    client = proton.client()
    env_template(client)
    environment(client, "dev")
    environment(client, "prod")
    client.create_service_template(name="web")
    service_version(client)
    client.create_service_template(name="worker", pipelineProvisioning="CUSTOMER_MANAGED")
    service_version(client, "worker")
    client.update_account_settings(pipelineServiceRoleArn=ROLE)
    for name in ("dev", "prod"):
        client.get_waiter("environment_deployed").wait(name=name, WaiterConfig=NO_WAIT)
    return client


def create(client, name="svc", spec_text=TWO, template="web", repository=None, **extra):
    """CreateService; `repository` defaults to REPOSITORY for web, none for worker."""
    if repository is None:
        repository = REPOSITORY if template == "web" else {}
    params = {
        "name": name,
        "templateName": template,
        "templateMajorVersion": "1",
        "spec": spec_text,
        **repository,
        **extra,
    }
    return client.create_service(**params)["service"]


def get(client, name="svc"):
    return client.get_service(name=name)["service"]


def instance(client, name="one", service="svc"):
    return client.get_service_instance(name=name, serviceName=service)["serviceInstance"]


def link(client, provider, name):
    client.create_repository(
        provider=provider,
        name=name,
        connectionArn=f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
    )
