// Monitoring of the synthesized WordPress stack: alarms to SNS, dashboard, outside-in uptime check.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ref, resourcesOf, synthStore, withCertificate, withoutCertificate, type Synth } from '../testing/fixtures.ts';

const synth: Record<'cert' | 'plain', Synth> = {
  cert: JSON.parse(synthStore(withCertificate)),
  plain: JSON.parse(synthStore(withoutCertificate)),
};
const both = Object.entries(synth) as Array<['cert' | 'plain', Synth]>;

function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

describe('monitoring', () => {
  for (const [kind, s] of both) {
    test(`${kind}: alarms on 5xx, response time, CPU, DB connections, Redis evictions and uptime go to SNS`, () => {
      const alarms = resourcesOf(s, 'aws_cloudwatch_metric_alarm').map(([, a]) => a);
      const metricsOf = (a: Record<string, any>) =>
        a.metric_name
          ? [a.metric_name]
          : a.metric_query.filter((q: any) => q.metric).map((q: any) => q.metric.metric_name);
      const metrics = alarms.flatMap(metricsOf);
      for (const m of [
        'HTTPCode_Target_5XX_Count',
        'TargetResponseTime',
        'CPUUtilization',
        'DatabaseConnections',
        'Evictions',
        'HealthCheckStatus',
      ]) {
        assert.ok(metrics.includes(m), `no alarm on ${m}`);
      }
      const topics = resourcesOf(s, 'aws_sns_topic').map(([n]) => ref('aws_sns_topic', n, 'arn'));
      for (const a of alarms) {
        assert.equal(a.alarm_actions.length, 1);
        assert.ok(topics.includes(a.alarm_actions[0]), `${a.alarm_name} does not notify a topic of the stack`);
      }
      for (const [, t] of resourcesOf(s, 'aws_sns_topic')) assert.ok(t.kms_master_key_id, 'topics are encrypted');
      const check = only(resourcesOf(s, 'aws_route53_health_check'), 'uptime check')[1];
      assert.equal(check.resource_path, '/rehearse-health.php');
      assert.equal(check.type, kind === 'cert' ? 'HTTPS' : 'HTTP');
      assert.match(check.fqdn, /^\$\{aws_lb\.[^.]+\.dns_name\}$/);
      assert.ok(
        only(resourcesOf(s, 'aws_cloudwatch_dashboard'), 'dashboard')[1].dashboard_body.includes(
          'GroupInServiceInstances',
        ),
      );
    });
  }

  test('the uptime alarm and its topic live in us-east-1, where Route 53 publishes metrics', () => {
    const uptime = resourcesOf(synth.cert, 'aws_cloudwatch_metric_alarm')
      .map(([, a]) => a)
      .find((a) => a.metric_name === 'HealthCheckStatus')!;
    assert.equal(uptime.region, 'us-east-1');
    const topic = resourcesOf(synth.cert, 'aws_sns_topic').find(
      ([n]) => ref('aws_sns_topic', n, 'arn') === uptime.alarm_actions[0],
    )![1];
    assert.equal(topic.region, 'us-east-1');
    // In us-east-1 itself one topic serves all alarms.
    assert.equal(resourcesOf(synth.plain, 'aws_sns_topic').length, 1);
  });
});
