// The ALB, synthesized: HTTPS with a certificate (HTTP redirected), plain HTTP without; access
// logs on, into the stack's short-lived logs bucket; the cheap health check on the app's port.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { only, ref, resourcesOf, synthBothStores, withCertificate, type Synth } from '../testing/fixtures.ts';
import { ALB_LOG_PREFIX } from './access-logs.ts';
import { ACCESS_LOG_RETENTION_DAYS } from './access-logs.ts';
import { HEALTH_PATH } from './load-balancer.ts';
import { PORTS } from './security-groups.ts';

const { raw, synth, both } = synthBothStores();

/** The bucket resource name a "${aws_s3_bucket.X.id}"-style reference points at. */
const bucketOf = (reference: string) => /^\$\{aws_s3_bucket\.([^.]+)\.(?:id|bucket)\}$/.exec(reference)?.[1];
const forBucket = (s: Synth, type: string, bucket: string) =>
  only(
    resourcesOf(s, type).filter(([, r]) => bucketOf(r.bucket) === bucket),
    `${type} of ${bucket}`,
  )[1];

describe('load balancer', () => {
  for (const [kind, s] of both) {
    test(`${kind}: access logs go to the logs bucket, SSE-S3, expired after a week, writable by ELB log delivery only there`, () => {
      const alb = only(resourcesOf(s, 'aws_lb'), 'ALB')[1];
      assert.equal(alb.access_logs.enabled, true);
      assert.equal(alb.access_logs.prefix, ALB_LOG_PREFIX);
      const bucket = bucketOf(alb.access_logs.bucket)!;
      assert.ok(bucket, `access_logs.bucket is not a bucket of this stack: ${alb.access_logs.bucket}`);
      // ELB can only write to SSE-S3 buckets.
      assert.equal(
        forBucket(s, 'aws_s3_bucket_server_side_encryption_configuration', bucket).rule[0]
          .apply_server_side_encryption_by_default.sse_algorithm,
        'AES256',
      );
      assert.equal(
        forBucket(s, 'aws_s3_bucket_lifecycle_configuration', bucket).rule[0].expiration[0].days,
        ACCESS_LOG_RETENTION_DAYS,
      );
      const policy = JSON.parse(forBucket(s, 'aws_s3_bucket_policy', bucket).policy).Statement as Array<
        Record<string, any>
      >;
      const writes = policy.filter((st) => st.Effect === 'Allow');
      assert.ok(writes.length >= 2);
      for (const st of writes) {
        assert.equal(st.Action, 's3:PutObject');
        assert.ok(
          st.Resource.startsWith(`${ref('aws_s3_bucket', bucket, 'arn')}/`),
          `${st.Sid} reaches beyond a prefix: ${st.Resource}`,
        );
      }
      assert.ok(policy.some((st) => st.Sid === 'DenyInsecureTransport'));
    });

    test(`${kind}: the target group health check is the cheap ${HEALTH_PATH}, on the app's nginx port`, () => {
      assert.ok(
        Testing.toHaveResourceWithProperties(raw[kind], 'aws_lb_target_group', {
          port: PORTS.app,
          health_check: { path: HEALTH_PATH, matcher: '200', protocol: 'HTTP' },
        }),
      );
    });
  }

  test('with a certificate: HTTPS listener with TLS 1.2+, HTTP redirects to HTTPS, and the site URL is https', () => {
    const listeners = resourcesOf(synth.cert, 'aws_lb_listener').map(([, l]) => l);
    assert.equal(listeners.length, 2);
    const https = only(
      listeners.filter((l) => l.protocol === 'HTTPS'),
      'HTTPS listener',
    );
    assert.equal(https.port, 443);
    assert.equal(https.certificate_arn, withCertificate.domain!.certificateArn);
    assert.match(https.ssl_policy, /TLS13-1-2/);
    assert.equal(https.default_action[0].type, 'forward');
    const http = only(
      listeners.filter((l) => l.protocol === 'HTTP'),
      'HTTP listener',
    );
    assert.equal(http.port, 80);
    assert.deepEqual(http.default_action[0].redirect, { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' });
    assert.ok(
      Testing.toHaveResourceWithProperties(raw.cert, 'aws_route53_record', { name: 'shop.example.com', type: 'A' }),
    );
    assert.equal(synth.cert.output!.site_url!.value, 'https://shop.example.com');
  });

  test('without a certificate: one plain HTTP listener that forwards', () => {
    const listener = only(resourcesOf(synth.plain, 'aws_lb_listener'), 'listener')[1];
    assert.equal(listener.protocol, 'HTTP');
    assert.equal(listener.default_action[0].type, 'forward');
    assert.equal(synth.plain.resource.aws_route53_record, undefined);
    assert.match(String(synth.plain.output!.site_url!.value), /^http:\/\//);
  });
});
