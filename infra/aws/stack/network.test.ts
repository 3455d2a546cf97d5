// The network and its security groups, synthesized: the internet reaches only the ALB, the ALB
// only the app's nginx port, each data store only the app; nothing but the ALB in public subnets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { only, ref, resourcesOf, sgName, synthBothStores, type Synth } from '../testing/fixtures.ts';
import { PORTS } from './security-groups.ts';

const { both } = synthBothStores();
const ingressRules = (s: Synth) => resourcesOf(s, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r);

describe('network exposure', () => {
  for (const [kind, s] of both) {
    test(`${kind}: only the ALB SG takes traffic from 0.0.0.0/0, and only on 80/443`, () => {
      const albSg = sgName(only(resourcesOf(s, 'aws_lb'), 'ALB')[1].security_groups[0]);
      const open = ingressRules(s).filter((r) => r.cidr_ipv4 === '0.0.0.0/0' || r.cidr_ipv6 === '::/0');
      assert.ok(open.length > 0);
      for (const r of open) {
        assert.equal(sgName(r.security_group_id), albSg);
        assert.ok(
          [80, 443].includes(r.from_port) && r.from_port === r.to_port,
          `open port ${r.from_port}-${r.to_port}`,
        );
      }
      const openPorts = open.map((r) => r.from_port).sort((a, b) => a - b);
      assert.deepEqual(openPorts, kind === 'cert' ? [80, 443] : [80]);
      // No inline rules or legacy rule resources that would escape the checks above.
      assert.equal(s.resource.aws_security_group_rule, undefined);
      for (const [, sg] of resourcesOf(s, 'aws_security_group')) assert.equal(sg.ingress, undefined);
    });

    test(`${kind}: no rule opens port 22 and no instance has a key pair`, () => {
      for (const r of ingressRules(s)) {
        const from = r.from_port ?? 0;
        const to = r.to_port ?? 65535;
        assert.ok(r.ip_protocol !== '-1' && !(from <= 22 && 22 <= to), `ingress ${from}-${to} covers SSH`);
      }
      for (const [, lt] of resourcesOf(s, 'aws_launch_template')) assert.equal(lt.key_name, undefined);
    });

    test(`${kind}: the ALB is the only thing in public subnets`, () => {
      const tier = (t: string) =>
        resourcesOf(s, 'aws_subnet')
          .filter(([, b]) => b.tags.tier === t)
          .map(([n]) => ref('aws_subnet', n));
      const [publicSubnets, privateSubnets] = [tier('public'), tier('private')];
      assert.equal(publicSubnets.length, privateSubnets.length);
      assert.deepEqual(only(resourcesOf(s, 'aws_lb'), 'ALB')[1].subnets, publicSubnets);
      assert.deepEqual(only(resourcesOf(s, 'aws_autoscaling_group'), 'ASG')[1].vpc_zone_identifier, privateSubnets);
      assert.deepEqual(only(resourcesOf(s, 'aws_db_subnet_group'), 'DB subnet group')[1].subnet_ids, privateSubnets);
      assert.deepEqual(
        only(resourcesOf(s, 'aws_elasticache_subnet_group'), 'cache subnets')[1].subnet_ids,
        privateSubnets,
      );
      assert.deepEqual(
        resourcesOf(s, 'aws_efs_mount_target').map(([, m]) => m.subnet_id),
        privateSubnets,
      );
      for (const [, subnet] of resourcesOf(s, 'aws_subnet')) assert.notEqual(subnet.map_public_ip_on_launch, true);
      for (const [, nat] of resourcesOf(s, 'aws_nat_gateway')) assert.ok(publicSubnets.includes(nat.subnet_id));
    });

    test(`${kind}: data SGs take traffic only from the app SG, on their own port; the app SG only from the ALB, on nginx's`, () => {
      const appSg = sgName(only(resourcesOf(s, 'aws_launch_template'), 'launch template')[1].vpc_security_group_ids[0]);
      const dataSgs: Array<[string, number]> = [
        [sgName(only(resourcesOf(s, 'aws_rds_cluster'), 'cluster')[1].vpc_security_group_ids[0]), PORTS.mysql],
        [
          sgName(only(resourcesOf(s, 'aws_elasticache_replication_group'), 'redis')[1].security_group_ids[0]),
          PORTS.redis,
        ],
        ...resourcesOf(s, 'aws_efs_mount_target').map(
          ([, m]) => [sgName(m.security_groups[0]), PORTS.nfs] as [string, number],
        ),
      ];
      for (const [sg, port] of dataSgs) {
        const rules = ingressRules(s).filter((r) => sgName(r.security_group_id) === sg);
        assert.equal(rules.length, 1, `${sg}: ${rules.length} ingress rules`);
        assert.equal(sgName(rules[0]!.referenced_security_group_id), appSg);
        assert.deepEqual([rules[0]!.from_port, rules[0]!.to_port, rules[0]!.cidr_ipv4], [port, port, undefined]);
      }
      const albSg = sgName(only(resourcesOf(s, 'aws_lb'), 'ALB')[1].security_groups[0]);
      const appRules = ingressRules(s).filter((r) => sgName(r.security_group_id) === appSg);
      assert.deepEqual(
        appRules.map((r) => [sgName(r.referenced_security_group_id), r.from_port, r.to_port]),
        [[albSg, PORTS.app, PORTS.app]],
      );
    });
  }
});
