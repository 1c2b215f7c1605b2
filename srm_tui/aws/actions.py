"""The IAM action behind each API operation, for the ledger and the policy."""

from __future__ import annotations

import re

# boto3 service name -> IAM service prefix, where they differ.
_PREFIX = {
    "s3control": "s3",
    "efs": "elasticfilesystem",
    "accessanalyzer": "access-analyzer",
    "opensearch": "es",
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "stepfunctions": "states",
    "apigatewayv2": "apigateway",
}

# (IAM prefix, operation) -> action name, where the action is not the operation.
_ACTION = {
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "GetBucketEncryption"): "GetEncryptionConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "GetLifecycleConfiguration",
    ("s3", "GetBucketReplication"): "GetReplicationConfiguration",
    ("s3", "GetBucketNotificationConfiguration"): "GetBucketNotification",
    ("s3", "GetObjectLockConfiguration"): "GetBucketObjectLockConfiguration",
    ("lambda", "ListFunctions20150331"): "ListFunctions",
    ("lambda", "GetPolicy20150331v2"): "GetPolicy",
}


# Directory buckets (S3 Express One Zone) answer to the s3 client, with s3express actions.
_DIRECTORY_BUCKET = re.compile(r'"Bucket": "[^"]*--x-s3"')
_EXPRESS = {
    "ListDirectoryBuckets": "ListAllMyDirectoryBuckets",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
}


def iam_action(service: str, operation: str, params: str = "") -> str:
    """``iam_action("s3", "ListBuckets") == "s3:ListAllMyBuckets"``. ``params`` (the
    call's parameters as JSON) tells calls about directory buckets apart."""
    express = operation == "ListDirectoryBuckets" or bool(_DIRECTORY_BUCKET.search(params))
    if service == "s3" and operation in _EXPRESS and express:
        return f"s3express:{_EXPRESS[operation]}"
    prefix = _PREFIX.get(service, service)
    if prefix == "apigateway":
        # API Gateway's management actions are HTTP verbs: every read is apigateway:GET.
        return "apigateway:GET" if operation.startswith("Get") else f"apigateway:{operation}"
    if service == "s3control" and operation == "GetPublicAccessBlock":
        return "s3:GetAccountPublicAccessBlock"
    if service == "s3" and operation == "GetPublicAccessBlock":
        return "s3:GetBucketPublicAccessBlock"
    return f"{prefix}:{_ACTION.get((prefix, operation), operation)}"


READ_ONLY_PREFIXES = ("List", "Get", "Describe", "GenerateCredentialReport", "BatchGet", "Head")


def is_read_only(action: str) -> bool:
    """True when an IAM action only reads (the policy holds nothing else)."""
    prefix, _, name = action.partition(":")
    if prefix == "apigateway":
        return name == "GET"
    return name.startswith(READ_ONLY_PREFIXES)
