# The benchmark's reference: bucketgate's job done the classic way, Flask + boto3 under gunicorn.
# No authentication (the caller names the user); S3 settings from the same S3_* variables.
# Run: /usr/bin/gunicorn -w 2 -b 127.0.0.1:8000 --chdir bench/reference app:app
import os
import uuid

import boto3
from botocore.config import Config
from flask import Flask, jsonify, request

UPLOAD_TTL_SECONDS = 300
DOWNLOAD_TTL_SECONDS = 3600

app = Flask(__name__)
bucket = os.environ["S3_BUCKET"]
# One client per worker process, made at import: boto3 clients are costly to create.
s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["S3_ENDPOINT"],
    region_name=os.environ.get("S3_REGION", "us-east-1"),
    aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
)


@app.post("/ticket")
def ticket():
    body = request.get_json()
    key = f"users/{request.args['user']}/{uuid.uuid4().hex}/{body['name']}"
    size, content_type = int(body["size"]), body["type"]
    post = s3.generate_presigned_post(
        bucket,
        key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=UPLOAD_TTL_SECONDS,
    )
    return jsonify(key=key, upload=post)


@app.get("/list")
def listing():
    prefix = f"users/{request.args['user']}/"
    page = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1000)
    files = [
        {
            "key": o["Key"][len(prefix) :],
            "size": o["Size"],
            "url": s3.generate_presigned_url(
                "get_object", Params={"Bucket": bucket, "Key": o["Key"]}, ExpiresIn=DOWNLOAD_TTL_SECONDS
            ),
        }
        for o in page.get("Contents", [])
    ]
    return jsonify(files=files)


@app.get("/noop")
def noop():
    return jsonify()
