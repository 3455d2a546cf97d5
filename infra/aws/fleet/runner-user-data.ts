// User data for a k6 runner (pure text): installs the pinned k6 (the official release checked
// against its published SHA-256, else built from the Go module proxy), Node, and this repo's
// bundle from the run prefix, but only if the bundle's SHA-256 is the one the controller wrote
// into current-run.json; then starts the agent on the rehearsal's store, where it follows
// current-run.json to the run, pulls the plan and claims a segment. The agent's name is this
// instance's IAM identity, "<role id>:<instance id>" (instance id from IMDSv2): the runner role
// writes only under runners/<that name>/ (runner-policy.ts).
// Never "${" in here: Terraform would read it as interpolation (values may be tokens).
export interface RunnerUserDataInput {
  region: string;
  bucketName: string;
  bucketRegion: string;
  rehearsalId: string;
  bundleKey: string;
  /** The runner role's unique id ("AROA…"; a token at synth): the first half of aws:userid. */
  roleUniqueId: string;
  /** "v2.2.0", from tools/k6/go.mod. */
  k6Version: string;
  nodeMajor: number;
}

function word(value: string): string {
  if (/['\n]/.test(value))
    throw new Error(`user data value ${JSON.stringify(value)} may not contain a quote or newline`);
  return `'${value}'`;
}

/** How long a booted runner waits for a run to appear (the controller writes it before scaling up). */
export const WAIT_FOR_RUN_S = 600;

/** Where the runner's name goes for the agent's systemd unit. */
export const RUNNER_ENV_FILE = '/etc/rehearse-runner.env';

/**
 * A bash function: verify_bundle <current-run.json> <bundle.tgz> succeeds only when the bundle's
 * SHA-256 is the pointer's bundleSha256; otherwise it says why and fails. Runs before anything of
 * the bundle is unpacked (Node is the distribution's, installed just before).
 */
export const VERIFY_BUNDLE = `verify_bundle() {
  local want have
  if ! want=$(node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!/^[0-9a-f]{64}$/.test(String(p.bundleSha256))) process.exit(1); console.log(p.bundleSha256)' "$1"); then
    echo "refusing the agent bundle: $1 holds no valid bundleSha256 (controller and bundle must be the same Rehearse version): start the run again"
    return 1
  fi
  have=$(sha256sum "$2" | cut -d' ' -f1)
  if [ "$have" != "$want" ]; then
    echo "refusing the agent bundle: $2 has SHA-256 $have but the run pointer $1 says $want: not the bundle the controller uploaded for this run; nothing installed, no agent started"
    return 1
  fi
  echo "agent bundle SHA-256 $have matches the run pointer"
}`;

export function runnerUserData(i: RunnerUserDataInput): string {
  const store = `s3://${i.bucketName}/runs/${i.rehearsalId}`;
  const v = i.k6Version;
  const attempts = WAIT_FOR_RUN_S / 5;
  return `#!/bin/bash
# Rehearse k6 runner bootstrap (infra/aws/fleet/runner-user-data.ts).
set -euo pipefail
exec >>/var/log/rehearse-runner.log 2>&1
export AWS_DEFAULT_REGION=${word(i.bucketRegion)}
echo "runner bootstrap start $(date -u +%FT%TZ) in ${i.region}"
case "$(uname -m)" in aarch64) arch=arm64 ;; *) arch=amd64 ;; esac
# k6's own advice for big loads: many ephemeral ports, reuse of TIME_WAIT sockets.
sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1

# Who this runner is. IAM calls this instance's role session (aws:userid) "<role id>:<instance id>";
# the role writes only under runners/<that>/, so the agent takes exactly that name.
imds_token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
instance_id=$(curl -fsS -H "X-aws-ec2-metadata-token: $imds_token" http://169.254.169.254/latest/meta-data/instance-id)
if ! [[ "$instance_id" =~ ^i-[0-9a-f]+$ ]]; then echo "IMDSv2 gave no instance id ($instance_id); not starting"; exit 1; fi
runner=${word(i.roleUniqueId)}:"$instance_id"
echo "REHEARSE_RUNNER=$runner" > ${RUNNER_ENV_FILE}
echo "runner name $runner"

dnf install -y -q nodejs${i.nodeMajor} nodejs${i.nodeMajor}-npm tar gzip
for tool in node npm npx; do command -v $tool >/dev/null || ln -sf /usr/bin/$tool-${i.nodeMajor} /usr/local/bin/$tool; done

# k6 ${v}, the version pinned in tools/k6/go.mod.
cd /tmp
tarball=k6-${v}-linux-$arch.tar.gz
if curl -fsSLO https://github.com/grafana/k6/releases/download/${v}/$tarball \\
  && curl -fsSLO https://github.com/grafana/k6/releases/download/${v}/k6-${v}-checksums.txt \\
  && grep " $tarball\\$" k6-${v}-checksums.txt | sha256sum -c -; then
  tar -xzf $tarball && install -m 0755 k6-${v}-linux-$arch/k6 /usr/local/bin/k6
else
  echo "no verified k6 release archive; building ${v} from the Go module proxy"
  dnf install -y -q golang
  GOTOOLCHAIN=auto GOBIN=/usr/local/bin CGO_ENABLED=0 HOME=/root go install go.k6.io/k6/v2@${v}
fi
/usr/local/bin/k6 version | grep -q ${word(`k6 ${v}`)}

# The agent: this repo, packed by the CLI into the run prefix (the only place this role may read),
# installed only if its SHA-256 is the one in the run pointer, which only the controller may write.
mkdir -p /opt/rehearse
${VERIFY_BUNDLE}
for attempt in $(seq 1 ${attempts}); do
  aws s3 cp ${word(`${store}/current-run.json`)} /opt/rehearse/current-run.json --only-show-errors && break
  if [ "$attempt" -eq ${attempts} ]; then echo "no current-run.json in ${store} after ${WAIT_FOR_RUN_S} s; nothing to run"; exit 1; fi
  sleep 5
done
aws s3 cp ${word(`s3://${i.bucketName}/${i.bundleKey}`)} /opt/rehearse/rehearse.tgz --only-show-errors
if ! verify_bundle /opt/rehearse/current-run.json /opt/rehearse/rehearse.tgz; then
  rm -f /opt/rehearse/rehearse.tgz
  exit 1
fi
tar -xzf /opt/rehearse/rehearse.tgz -C /opt/rehearse --strip-components=1
# The bundle's npm-shrinkwrap.json pins every version. No install scripts: the agent needs none
# (esbuild finds its platform package without one; the report's canvas is not loaded).
(cd /opt/rehearse && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

cat > /etc/systemd/system/rehearse-agent.service <<'UNIT'
[Unit]
Description=Rehearse k6 runner agent
After=network-online.target
[Service]
WorkingDirectory=/opt/rehearse
Environment=REHEARSE_K6=/usr/local/bin/k6 AWS_REGION=${i.bucketRegion}
EnvironmentFile=${RUNNER_ENV_FILE}
# node on the agent's entry, not npx: npx resolves "rehearse" through the npm registry or its cache, not this directory.
ExecStart=/usr/bin/env node --import tsx /opt/rehearse/cli/agent-main.ts --store ${store} --runner-name $REHEARSE_RUNNER --wait-for-run ${WAIT_FOR_RUN_S}
Restart=on-failure
RestartSec=5
# 2: nothing to do (no run, segments taken, start passed); 130: stopped. A restart would not help.
RestartPreventExitStatus=2 130
# On a stop (scale-in), time to stop k6 and upload the last chunk and done.json.
TimeoutStopSec=60
LimitNOFILE=1048576
UNIT
systemctl daemon-reload
systemctl enable --now rehearse-agent.service
echo "runner bootstrap done $(date -u +%FT%TZ)"
`;
}
