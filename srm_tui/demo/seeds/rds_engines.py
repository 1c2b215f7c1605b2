"""Demo seed: RDS for SQL Server, MariaDB and PostgreSQL instances that do and do not
require TLS and publish their logs, RDS proxies, and event subscriptions that differ
between the first two regions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srm_tui.demo.seeds.data_network import data_network
from srm_tui.demo.seeds.rds import _DEMO_MASTER_PASSWORD

# (source type, categories) per subscription; no categories means all of them.
_SUBSCRIPTIONS = (
    # The first region: clusters and parameter groups covered, instances short of two
    # categories, no security group subscription.
    (
        ("db-cluster", ["maintenance", "failure"]),
        ("db-instance", ["failure"]),
        ("db-parameter-group", ["configuration change"]),
    ),
    # The second: instances and security groups covered, clusters short of failure,
    # no parameter group subscription.
    (
        ("db-cluster", ["maintenance"]),
        ("db-instance", []),
        ("db-security-group", []),
    ),
)


def _instance(rds: Any, name: str, engine: str, **settings: Any) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=name, Engine=engine, DBInstanceClass="db.m5.large",
        AllocatedStorage=20, MasterUsername=f"{name.split('-')[0]}_admin",
        MasterUserPassword=_DEMO_MASTER_PASSWORD, **settings,
    )  # fmt: skip


def _parameter_group(rds: Any, name: str, family: str, parameter: str, value: str) -> str:
    rds.create_db_parameter_group(
        DBParameterGroupName=name, DBParameterGroupFamily=family, Description=name
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName=name,
        Parameters=[
            {"ParameterName": parameter, "ParameterValue": value, "ApplyMethod": "pending-reboot"}
        ],
    )
    return name


def _subscriptions(session: Any, region: str, index: int) -> None:
    topic = session.client("sns", region_name=region).create_topic(Name="rds-events")["TopicArn"]
    rds = session.client("rds", region_name=region)
    for source, categories in _SUBSCRIPTIONS[index % 2]:
        rds.create_event_subscription(
            SubscriptionName=f"{source}-events", SnsTopicArn=topic, SourceType=source,
            EventCategories=categories, Enabled=True,
        )  # fmt: skip


def seed(session: Any, regions: Sequence[str], scale: int = 1) -> None:
    """Per region and ``scale``: SQL Server ``erp-db-N`` (TLS forced, agent and error
    logs published) and ``hr-db-N`` (neither); MariaDB ``shop-db-N`` (secure transport
    required, audit and error logs published) and ``wiki-db-N`` (neither); PostgreSQL
    ``reports-db-N`` (no logs published); proxies ``orders-proxy-N`` (TLS required) and
    ``legacy-proxy-N`` (not). Per region, event subscriptions (see ``_SUBSCRIPTIONS``)."""
    for index, region in enumerate(regions):
        rds = session.client("rds", region_name=region)
        forced = _parameter_group(rds, "sqlserver-tls", "sqlserver-se-15.0", "rds.force_ssl", "1")
        secure = _parameter_group(
            rds, "mariadb-tls", "mariadb10.11", "require_secure_transport", "ON"
        )
        subnets = data_network(session, region)["private"]
        for n in range(scale):
            _instance(
                rds, f"erp-db-{n}", "sqlserver-se", DBParameterGroupName=forced,
                EnableCloudwatchLogsExports=["agent", "error"],
            )  # fmt: skip
            _instance(rds, f"hr-db-{n}", "sqlserver-se")
            _instance(
                rds, f"shop-db-{n}", "mariadb", EngineVersion="10.11.6",
                DBParameterGroupName=secure, EnableCloudwatchLogsExports=["audit", "error"],
            )  # fmt: skip
            _instance(rds, f"wiki-db-{n}", "mariadb", EngineVersion="10.6.14")
            _instance(rds, f"reports-db-{n}", "postgres")
            for name, tls in ((f"orders-proxy-{n}", True), (f"legacy-proxy-{n}", False)):
                rds.create_db_proxy(
                    DBProxyName=name, EngineFamily="POSTGRESQL", RequireTLS=tls,
                    Auth=[{"AuthScheme": "SECRETS", "SecretArn": f"arn:aws:secretsmanager:{region}:123456789012:secret:{name}"}],
                    RoleArn="arn:aws:iam::123456789012:role/rds-proxy", VpcSubnetIds=subnets,
                )  # fmt: skip
        _subscriptions(session, region, index)
