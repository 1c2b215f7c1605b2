"""srm-tui import against the producers' published formats: Prowler's json-ocsf and
json-asff writers (4.x and 5.x) and Security Hub's ASFF (control findings, workflow
status, other products' findings), and hostile files refused in one sentence."""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import pytest

from srm_tui import store
from srm_tui.imports import reading
from srm_tui.model import Assessment, CheckRecord, Finding, Responsibility, Scope, Severity, Status

ACCOUNT = "123456789012"
BUCKET = "arn:aws:s3:::demo-public-assets"


def own() -> Assessment:
    """One srm-tui check citing FSBP S3.8, passing on the bucket."""
    record = CheckRecord(
        "s3.public_access_block",
        "Block public access",
        "s3",
        Severity.HIGH,
        Responsibility.CUSTOMER,
        {"aws-fsbp": ("S3.8",), "cis-aws-7.0": ("3.1.4",)},
    )
    return Assessment(
        name="Audit",
        scope=Scope(account_id=ACCOUNT, regions=("us-east-1",)),
        checks={record.id: record},
        findings=[Finding(record.id, "global", BUCKET, Status.PASS)],
    )


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    store.save(own(), path)
    return path


def refused(run_cli, review: Path, option: str, bad: Path, *words: str) -> None:
    """Exit 2, one line naming the file and the words, the review untouched."""
    before = review.read_bytes()
    result = run_cli("import", review, option, bad)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    for word in (str(bad), *words):
        assert word in result.err
    assert review.read_bytes() == before


# --- hostile files -----------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--prowler", "--asff"])
def test_a_number_too_long_for_python_is_one_sentence(run_cli, review, tmp_path, option):
    bad = tmp_path / "long.json"
    bad.write_text("[" + "1" * 5000 + "]")
    refused(run_cli, review, option, bad, "number too long")


# --- findings their producer set aside ----------------------------------------------------

PROWLER_FIXTURE = Path(__file__).parent.parent / "fixtures" / "prowler" / "demo-account.ocsf.json"


def control_finding(number: int, control: str, status: str, **extra: object) -> dict:
    """A consolidated control finding as Security Hub's GetFindings returns it."""
    finding: dict = {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:us-east-1:{ACCOUNT}:security-control/{control}/finding/{number}",
        "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
        "ProductName": "Security Hub",
        "GeneratorId": f"security-control/{control}",
        "AwsAccountId": ACCOUNT,
        "Severity": {"Label": "HIGH"},
        "Title": f"Control {control}",
        "Resources": [{"Type": "AwsS3Bucket", "Id": BUCKET, "Region": "us-east-1"}],
        "Compliance": {"Status": status, "SecurityControlId": control},
        "RecordState": "ACTIVE",
        "Workflow": {"Status": "NEW"},
        "Region": "us-east-1",
    }
    finding.update(extra)
    return finding


def prowler_asff(check: str, status: str, compliance: dict[str, list[str]]) -> dict:
    """A finding as Prowler's json-asff writer (prowler/lib/outputs/asff/asff.py) makes it:
    RelatedRequirements "<framework> <id> <id>", each cut at 63 characters."""
    related = [f"{key} {' '.join(ids)}"[:63] for key, ids in compliance.items()]
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"prowler-{check}-{ACCOUNT}-us-east-1-0f1e2d",
        "ProductArn": "arn:aws:securityhub:us-east-1::product/prowler/prowler",
        "ProductFields": {
            "ProviderName": "Prowler",
            "ProviderVersion": "5.40.0",
            "ProwlerResourceName": BUCKET,
        },
        "GeneratorId": f"prowler-{check}",
        "AwsAccountId": ACCOUNT,
        "Types": ["Software and Configuration Checks"],
        "Severity": {"Label": "high"},
        "Title": check,
        "Description": f"{check} said {status}",
        "Resources": [
            {"Id": BUCKET, "Type": "AwsS3Bucket", "Partition": "aws", "Region": "us-east-1"}
        ],
        "Compliance": {
            "Status": status,
            "AssociatedStandards": [{"StandardsId": key} for key in compliance],
            "RelatedRequirements": related,
        },
        "Remediation": {"Recommendation": {"Text": "fix it", "Url": "https://example.com"}},
    }


def test_prowler_muted_findings_are_counted_apart_not_imported(run_cli, review, tmp_path):
    # Prowler's OCSF writer keeps a muted finding's PASS/FAIL in status_code and marks it
    # status "Suppressed" (status_id 3); Prowler itself does not count it.
    events = json.loads(PROWLER_FIXTURE.read_text())
    failing = [e for e in events if e["status_code"] == "FAIL"]
    failing[0].update(status="Suppressed", status_id=3)
    failing[1].update(status_id=3)
    failing[2].update(status_code="MUTED")  # Status.MUTED, Prowler 5's mutelist.mute_finding
    path = tmp_path / "muted.ocsf.json"
    path.write_text(json.dumps(events))
    result = run_cli("import", review, "--prowler", path)
    assert result.code == 0, result.err
    assert f"Imported {len(events) - 3} prowler findings" in result.out
    assert "3 muted or suppressed by their producer" in result.out
    kept = store.load(review).imports["prowler"]
    assert kept.muted == 3 and kept.skipped == 0
    uids = {(f.check, f.resource) for f in kept.findings}
    for muted in failing[:3]:
        assert (muted["metadata"]["event_code"], muted["resources"][0]["uid"]) not in uids


def test_suppressed_and_prowler_muted_asff_findings_are_counted_apart(run_cli, review, tmp_path):
    findings = [
        control_finding(1, "S3.8", "FAILED", Workflow={"Status": "SUPPRESSED"}),
        control_finding(2, "S3.5", "FAILED", Workflow={"Status": "NOTIFIED"}),
        control_finding(3, "S3.1", "FAILED", Workflow={"Status": "RESOLVED"}),
        # Prowler 4.2 and later write a muted finding WARNING, 4.0 and 4.1 MUTED.
        prowler_asff("s3_bucket_level_public_access_block", "WARNING", {}),
        prowler_asff("s3_account_level_public_access_blocks", "MUTED", {}),
    ]
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"Findings": findings}))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 0, result.err
    kept = store.load(review).imports["security-hub"]
    assert sorted(f.check for f in kept.findings) == ["S3.1", "S3.5"]
    assert kept.muted == 3
    assert "3 muted or suppressed" in result.out


# --- control ids of findings made before the consolidated controls view -------------------


def standard_finding(standard: str, control: str, status: str) -> dict:
    """A control finding of one standard as Security Hub wrote it before the consolidated
    controls view: no Compliance.SecurityControlId, the standard's own id in ProductFields."""
    finding = control_finding(9, control, status, GeneratorId=f"{standard}/{control}")
    del finding["Compliance"]["SecurityControlId"]
    finding["ProductFields"] = {
        "StandardsArn": f"arn:aws:securityhub:::standards/{standard}",
        "ControlId": control,
    }
    return finding


def test_only_an_fsbp_findings_own_control_id_is_taken_for_an_fsbp_id(run_cli, review, tmp_path):
    findings = [
        standard_finding("aws-foundational-security-best-practices/v/1.0.0", "S3.8", "FAILED"),
        # CIS v1.4's 2.1.5 is not FSBP's; PCI's own id neither.
        standard_finding("cis-aws-foundations-benchmark/v/1.4.0", "2.1.5", "FAILED"),
        standard_finding("pci-dss/v/3.2.1", "PCI.S3.1", "FAILED"),
    ]
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(findings))
    assert run_cli("import", review, "--asff", path).code == 0
    kept = {f.check: f for f in store.load(review).imports["security-hub"].findings}
    assert kept["S3.8"].frameworks == {"aws-fsbp": ("S3.8",)}
    cis = kept["cis-aws-foundations-benchmark/v/1.4.0/2.1.5"]
    pci = kept["pci-dss/v/3.2.1/PCI.S3.1"]
    assert cis.frameworks == {} and pci.frameworks == {}


def test_one_finding_per_standard_of_the_same_control_counts_once(run_cli, review, tmp_path):
    # Consolidated control findings off (the default for accounts that enabled Security
    # Hub before February 2023): one finding per enabled standard, each naming the same
    # security control. The password policy's parameters differ between standards, so
    # they may disagree: the failure is kept.
    policy = "arn:aws:iam::123456789012:root"
    findings = []
    for number, (standard, status) in enumerate(
        [
            ("aws-foundational-security-best-practices/v/1.0.0", "PASSED"),
            ("cis-aws-foundations-benchmark/v/1.4.0", "FAILED"),
            ("pci-dss/v/3.2.1", "PASSED"),
        ]
    ):
        finding = control_finding(number, "IAM.7", status, GeneratorId=f"{standard}/IAM.7")
        finding["Resources"] = [{"Type": "AwsAccount", "Id": policy, "Region": "us-east-1"}]
        findings.append(finding)
    findings.append(control_finding(7, "S3.5", "PASSED"))
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"Findings": findings}))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 0, result.err
    kept = store.load(review).imports["security-hub"].findings
    assert [(f.check, f.status) for f in kept] == [("IAM.7", Status.FAIL), ("S3.5", Status.PASS)]
    assert "Imported 2 security-hub findings" in result.out


# --- Prowler's findings in ASFF --------------------------------------------------------------


def test_prowlers_asff_findings_map_through_their_related_requirements(run_cli, review, tmp_path):
    long_ids = [f"1.{n}" for n in range(1, 30)]  # over 63 characters: Prowler cuts it
    findings = [
        # srm-tui's own check (FSBP S3.8) passes on the bucket: Prowler's failure disagrees.
        prowler_asff(
            "s3_bucket_level_public_access_block",
            "FAILED",
            {"CIS-7.0": ["3.1.4"], "AWS-Foundational-Security-Best-Practices": ["S3.8"]},
        ),
        prowler_asff("s3_bucket_default_encryption", "PASSED", {"CIS-7.0": long_ids}),
        prowler_asff("s3_bucket_no_mfa_delete", "PASSED", {"CIS-7.0": [""], "ISO27001-2022": []}),
    ]
    path = tmp_path / "prowler.asff.json"
    path.write_text(json.dumps(findings))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 0, result.err
    assert "disagrees: security-hub s3_bucket_level_public_access_block says fail" in result.out
    kept = {f.check: f for f in store.load(review).imports["security-hub"].findings}
    block = kept["s3_bucket_level_public_access_block"]
    assert block.frameworks == {"cis-aws-7.0": ("3.1.4",), "aws-fsbp": ("S3.8",)}
    cut = kept["s3_bucket_default_encryption"].frameworks["cis-aws-7.0"]
    written = f"CIS-7.0 {' '.join(long_ids)}"[:63].split()[1:]
    assert cut == tuple(written[:-1])  # the last id, maybe a part of one, is left out
    assert kept["s3_bucket_no_mfa_delete"].frameworks == {}


# --- Prowler's json-ocsf across versions and providers -----------------------------------------


def prowler_events() -> list[dict]:
    return json.loads(PROWLER_FIXTURE.read_text())[:3]


def test_prowler_before_4_3_is_named_rather_than_a_missing_key(run_cli, review, tmp_path):
    # Prowler 4.0-4.2 (prowler/lib/outputs/json_ocsf/json_ocsf.py) wrote no
    # metadata.event_code and no unmapped.compliance.
    events = prowler_events()
    for event in events:
        del event["metadata"]["event_code"]
        del event["unmapped"]
    path = tmp_path / "prowler-4.1.ocsf.json"
    path.write_text(json.dumps(events))
    refused(run_cli, review, "--prowler", path, "finding 1", "older than 4.3")


def test_a_prowler_file_of_another_cloud_is_named(run_cli, review, tmp_path):
    events = prowler_events()
    events[1]["cloud"]["provider"] = "azure"
    path = tmp_path / "azure.ocsf.json"
    path.write_text(json.dumps(events))
    refused(run_cli, review, "--prowler", path, "finding 2", "'azure', not of AWS")
    del events[1]["cloud"]  # Prowler's kubernetes findings have no cloud at all
    path.write_text(json.dumps(events))
    refused(run_cli, review, "--prowler", path, "finding 2", "'cloud' must be an object")


# --- gzip ------------------------------------------------------------------------------------


def test_a_gzipped_file_imports_like_the_plain_one(run_cli, review, tmp_path):
    text = PROWLER_FIXTURE.read_bytes()
    path = tmp_path / "prowler.ocsf.json.gz"
    path.write_bytes(gzip.compress(text))
    result = run_cli("import", review, "--prowler", path)
    assert result.code == 0, result.err
    assert len(store.load(review).imports["prowler"].findings) == len(json.loads(text))
    # Two members (files joined with cat) are one document.
    half = len(text) // 2
    path.write_bytes(gzip.compress(text[:half]) + gzip.compress(text[half:]))
    assert run_cli("import", review, "--prowler", path).code == 0


def test_a_broken_or_bottomless_gzip_file_is_one_sentence(run_cli, review, tmp_path, monkeypatch):
    packed = gzip.compress(PROWLER_FIXTURE.read_bytes())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(packed[: len(packed) // 2])
    refused(run_cli, review, "--prowler", path, "gzip file cut short")
    path.write_bytes(packed[:12] + b"\xff" * 40 + packed[52:])
    refused(run_cli, review, "--prowler", path, "not a valid gzip file")
    # 64 MB of zeros pack into 64 KB: unpacked only up to the limit, then refused.
    monkeypatch.setattr(reading, "MAX_IMPORT_BYTES", 1024 * 1024)
    path.write_bytes(gzip.compress(b"0" * (64 * 1024 * 1024)))
    refused(run_cli, review, "--asff", path, "too large to import")


def test_a_file_given_to_the_other_option_says_which_to_use(run_cli, review, tmp_path):
    refused(run_cli, review, "--asff", PROWLER_FIXTURE, "finding 1", "use --prowler")
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"Findings": [control_finding(1, "S3.8", "FAILED")]}))
    refused(run_cli, review, "--prowler", path, "must be a JSON array")
    path.write_text(json.dumps([control_finding(1, "S3.8", "FAILED")]))
    refused(run_cli, review, "--prowler", path, "finding 1", "import it with --asff")


@pytest.mark.parametrize(
    "header",
    [
        # prowler/lib/outputs/csv/csv.py and compliance/compliance_output.py (';', upper case)
        "AUTH_METHOD;TIMESTAMP;ACCOUNT_UID;ACCOUNT_NAME;FINDING_UID;PROVIDER;CHECK_ID;STATUS",
        "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;STATUS",
    ],
)
def test_prowlers_csv_is_named_and_the_json_output_asked_for(run_cli, review, tmp_path, header):
    path = tmp_path / "prowler.csv"
    path.write_text(f"{header}\nprofile;2026-12-01;{ACCOUNT};x;y;aws;s3_x;FAIL\n")
    refused(run_cli, review, "--prowler", path, "Prowler's CSV output", "json-ocsf")


def test_one_page_of_get_findings_is_refused_not_imported_as_the_whole(run_cli, review, tmp_path):
    page = {"Findings": [control_finding(1, "S3.8", "FAILED")], "NextToken": "eyJ2IjoxfQ=="}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    refused(run_cli, review, "--asff", path, "one page of GetFindings", "--max-items")
    page["NextToken"] = None  # the last page, as some tools write it
    path.write_text(json.dumps(page))
    assert run_cli("import", review, "--asff", path).code == 0


def test_a_key_given_twice_is_refused_not_read_as_its_last_value(run_cli, review, tmp_path):
    # {"status_code": "FAIL", ..., "status_code": "PASS"}: Python keeps the last value,
    # other readers the first; the file is ambiguous.
    text = json.dumps(prowler_events())
    path = tmp_path / "twice.json"
    path.write_text(
        text.replace('"status_code": "FAIL"', '"status_code": "FAIL", "status_code": "PASS"', 1)
    )
    refused(run_cli, review, "--prowler", path, "key 'status_code' twice")


@pytest.mark.parametrize("option", ["--prowler", "--asff"])
def test_a_pipe_a_device_or_a_folder_as_the_findings_file_is_one_sentence(
    run_cli, review, tmp_path, option
):
    fifo = tmp_path / "findings.json"
    os.mkfifo(fifo)  # read, it would wait for a writer for ever
    refused(run_cli, review, option, fifo, "is a pipe, not a regular file")
    refused(run_cli, review, option, Path("/dev/zero"), "is a character device")
    refused(run_cli, review, option, tmp_path, "is a folder, not a file")


def test_not_available_because_config_found_it_not_applicable_is_not_applicable(
    run_cli, review, tmp_path
):
    # Security Hub's control findings reference: NOT_AVAILABLE with the reason code
    # CONFIG_RETURNS_NOT_APPLICABLE means the resource is out of the rule's scope or gone.
    reason = {"ReasonCode": "CONFIG_RETURNS_NOT_APPLICABLE", "Description": "Not Applicable"}
    findings = [
        control_finding(1, "S3.8", "NOT_AVAILABLE"),
        control_finding(2, "S3.5", "NOT_AVAILABLE"),
    ]
    findings[1]["Compliance"]["StatusReasons"] = [reason]
    findings[0]["Compliance"]["StatusReasons"] = [{"ReasonCode": "CONFIG_ACCESS_DENIED"}]
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(findings))
    assert run_cli("import", review, "--asff", path).code == 0
    kept = {f.check: f.status for f in store.load(review).imports["security-hub"].findings}
    assert kept == {"S3.8": Status.ERROR, "S3.5": Status.NOT_APPLICABLE}


def test_a_zip_archive_says_to_unpack_it(run_cli, review, tmp_path):
    path = tmp_path / "scan-reports.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("output/json-ocsf/scan.ocsf.json", PROWLER_FIXTURE.read_text())
    refused(run_cli, review, "--prowler", path, "a zip archive: unpack it", "json-ocsf")


def test_one_controls_not_applicable_and_passed_findings_keep_the_pass(run_cli, review, tmp_path):
    reason = {"ReasonCode": "CONFIG_RETURNS_NOT_APPLICABLE"}
    findings = [control_finding(1, "S3.5", "NOT_AVAILABLE"), control_finding(2, "S3.5", "PASSED")]
    findings[0]["Compliance"]["StatusReasons"] = [reason]
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(findings))
    result = run_cli("import", review, "--asff", path)
    assert result.code == 0, result.err
    kept = store.load(review).imports["security-hub"].findings
    assert [(f.check, f.status) for f in kept] == [("S3.5", Status.PASS)]
