
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'flinkha' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'flinkha'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'flinkha' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml: asks for hosts, roles, Flink version and distribution and HA storage at a terminal; every question also has a flag')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or check the resolved configuration')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Distribute the conf dir (per-host values filled in) and extra files to every host')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Everything `config check` reports, the mistakes HA walkthroughs make, and (unless --offline) live checks on every host over SSH; each finding with a stable id, where it is and the fix. Exit 1 when any finding is an error')
            [CompletionResult]::new('zk', 'zk', [CompletionResultType]::ParameterValue, 'Start and stop the ZooKeeper quorum, or show its state')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit; or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR] [--drain]`) and leave the cluster running')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every daemon on every host, the quorum, the leader, slots and jobs')
            [CompletionResult]::new('leader', 'leader', [CompletionResultType]::ParameterValue, 'Which JobManager leads, from the HA znodes')
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'List jobs, or show one (through the leading JobManager''s REST API)')
            [CompletionResult]::new('savepoint', 'savepoint', [CompletionResultType]::ParameterValue, 'Take a savepoint of a running job (client-chosen trigger id, so a retry never makes two), wait for it, print its path and record it in the catalogue')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by Flink only once the savepoint completed; if it fails, the job keeps running')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Upload a jar to the leading JobManager and run it, waiting until RUNNING; with --from-savepoint, verify the job restored from exactly that savepoint')
            [CompletionResult]::new('savepoints', 'savepoints', [CompletionResultType]::ParameterValue, 'The savepoint catalogue (every savepoint flinkha made)')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade Flink to the inventory''s flink.version, in place (every job stopped with a savepoint, the cluster restarted, every job restored and verified) or with a shadow copy (`--shadow`: a second deployment beside the running one, jobs moved one at a time, the old one kept until `--finalize`); resumable (`--resume`) and reversible (`--rollback`). `--plan` shows what it would do')
            [CompletionResult]::new('failover', 'failover', [CompletionResultType]::ParameterValue, 'Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the recovery')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;init' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'A host: `name=address[:ssh-port]` (repeatable, in order; the first hosts get the ZooKeeper servers and JobManagers by default)')
            [CompletionResult]::new('--zookeeper', '--zookeeper', [CompletionResultType]::ParameterName, 'ZooKeeper hosts, comma-separated [default: the first 3 hosts, or the first one with fewer than 3]')
            [CompletionResult]::new('--jobmanagers', '--jobmanagers', [CompletionResultType]::ParameterName, 'JobManager hosts, comma-separated [default: the first 2 hosts]')
            [CompletionResult]::new('--taskmanagers', '--taskmanagers', [CompletionResultType]::ParameterName, 'TaskManager hosts, comma-separated [default: every host]')
            [CompletionResult]::new('--flink-version', '--flink-version', [CompletionResultType]::ParameterName, 'Flink version, e.g. `2.1.0` (1.19 or later)')
            [CompletionResult]::new('--distribution', '--distribution', [CompletionResultType]::ParameterName, 'The Flink distribution tarball: a local path or an HTTP(S) URL [default: Apache''s archive URL of flink-<version>-bin-scala_2.12.tgz]')
            [CompletionResult]::new('--sha512', '--sha512', [CompletionResultType]::ParameterName, 'The tarball''s SHA-512 (hex) [default: read from `<distribution>.sha512`]')
            [CompletionResult]::new('--ha-storage', '--ha-storage', [CompletionResultType]::ParameterName, '`high-availability.storageDir`: an absolute URI on storage every JobManager reaches (`hdfs:///flink/ha`, `s3://bucket/flink/ha`, `file:///nfs/flink/ha`; an absolute path becomes `file://…`)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Short cluster name (daemon ident strings, pid and log files) [default: flink]')
            [CompletionResult]::new('--cluster-id', '--cluster-id', [CompletionResultType]::ParameterName, '`high-availability.cluster-id` [default: /<cluster>]')
            [CompletionResult]::new('--checkpoints', '--checkpoints', [CompletionResultType]::ParameterName, '`execution.checkpointing.dir` [default: beside the HA storage dir, `…/checkpoints`]')
            [CompletionResult]::new('--savepoints', '--savepoints', [CompletionResultType]::ParameterName, '`execution.checkpointing.savepoint-dir` [default: beside the HA storage dir, `…/savepoints`]')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Install root on every host; `{host}` is replaced by each host''s name (several hosts on one machine) [default: /opt/flink]')
            [CompletionResult]::new('--ssh-user', '--ssh-user', [CompletionResultType]::ParameterName, 'SSH login user [default: the user running flinkha]')
            [CompletionResult]::new('--ssh-port', '--ssh-port', [CompletionResultType]::ParameterName, 'SSH port of every host without its own `:port` [default: 22]')
            [CompletionResult]::new('--identity-file', '--identity-file', [CompletionResultType]::ParameterName, 'SSH private key file [default: the agent only]')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file [default: ~/.ssh/known_hosts]')
            [CompletionResult]::new('--host-key-policy', '--host-key-policy', [CompletionResultType]::ParameterName, '`strict` (unknown host keys refused) or `accept-new` [default: strict]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a non-empty DIR (it is kept as DIR.bak-<UTC time>)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;config' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The resolved view of what each host gets: roles, paths and per-host values')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate inventory and conf dir before anything runs; each finding names file:line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;config;show' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only this host (`-H` without a name picks one at the terminal)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only this host (`-H` without a name picks one at the terminal)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;config;check' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The resolved view of what each host gets: roles, paths and per-host values')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate inventory and conf dir before anything runs; each finding names file:line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;config;help;show' {
            break
        }
        'flinkha;config;help;check' {
            break
        }
        'flinkha;config;help;help' {
            break
        }
        'flinkha;install' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--activate', '--activate', [CompletionResultType]::ParameterName, 'Point `current` at this version even when it points at another one (an upgrade: running daemons keep their version until restarted)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (what each host has, where it would install); fetch, upload and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;sync' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show a per-host diff of what would change; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show a per-host diff of what would change; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;doctor' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Only the checks that need no host (conf dir and inventory); no SSH')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;zk' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the quorum from zoo.cfg with Flink''s bundled ZooKeeper; returns when it serves')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the quorum; returns when the processes are gone')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;zk;start' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (which servers start, which already run); start nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;zk;stop' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (which servers stop, with pids); stop nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;zk;status' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;zk;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the quorum from zoo.cfg with Flink''s bundled ZooKeeper; returns when it serves')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the quorum; returns when the processes are gone')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;zk;help;start' {
            break
        }
        'flinkha;zk;help;stop' {
            break
        }
        'flinkha;zk;help;status' {
            break
        }
        'flinkha;zk;help;help' {
            break
        }
        'flinkha;start' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'The ZooKeeper quorum')
            [CompletionResult]::new('--jobmanagers', '--jobmanagers', [CompletionResultType]::ParameterName, 'The JobManagers')
            [CompletionResult]::new('--taskmanagers', '--taskmanagers', [CompletionResultType]::ParameterName, 'The TaskManagers')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (what starts where, what already runs); start nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;stop' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)')
            [CompletionResult]::new('--savepoint', '--savepoint', [CompletionResultType]::ParameterName, 'With JOB: savepoint target directory [default: the declared job''s savepoint_dir, else execution.checkpointing.savepoint-dir]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'With JOB: savepoint format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With JOB: how long to wait for the savepoint (e.g. `90s`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'The ZooKeeper quorum')
            [CompletionResult]::new('--jobmanagers', '--jobmanagers', [CompletionResultType]::ParameterName, 'The JobManagers')
            [CompletionResult]::new('--taskmanagers', '--taskmanagers', [CompletionResultType]::ParameterName, 'The TaskManagers')
            [CompletionResult]::new('--drain', '--drain', [CompletionResultType]::ParameterName, 'With JOB: emit MAX_WATERMARK before stopping (flushes event-time windows and timers)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (what runs where, with pids; with JOB: the stop-with-savepoint); stop nothing')
            [CompletionResult]::new('--with-savepoints', '--with-savepoints', [CompletionResultType]::ParameterName, 'Stop every running job with a savepoint (Flink''s stop-with-savepoint, to the cluster''s savepoint dir, recorded in the catalogue) before any daemon is stopped; a savepoint that fails ends the plan with every daemon still up. Offered at a terminal when high availability is off (nothing would recover the jobs)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;status' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;leader' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job''s leader, from the HA znodes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;leader;show' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Follow changes (failover) until interrupted, printing each with a timestamp')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Follow changes (failover) until interrupted, printing each with a timestamp')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;leader;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job''s leader, from the HA znodes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;leader;help;show' {
            break
        }
        'flinkha;leader;help;help' {
            break
        }
        'flinkha;jobs' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;jobs;list' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;jobs;show' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;jobs;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;jobs;help;list' {
            break
        }
        'flinkha;jobs;help;show' {
            break
        }
        'flinkha;jobs;help;help' {
            break
        }
        'flinkha;savepoint' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Target directory (every JobManager and TaskManager must be able to write it) [default: the declared job''s savepoint_dir, else execution.checkpointing.savepoint-dir of config.yaml]')
            [CompletionResult]::new('--target-dir', '--target-dir', [CompletionResultType]::ParameterName, 'Target directory (every JobManager and TaskManager must be able to write it) [default: the declared job''s savepoint_dir, else execution.checkpointing.savepoint-dir of config.yaml]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Savepoint format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the savepoint to complete (e.g. `90s`, `10m`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (job, target dir, trigger id); trigger nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;cancel' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Savepoint format')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the savepoint to complete (e.g. `90s`, `10m`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Cancel with a savepoint (required: flinkha never cancels a job without one)')
            [CompletionResult]::new('--with-savepoint', '--with-savepoint', [CompletionResultType]::ParameterName, 'Cancel with a savepoint (required: flinkha never cancels a job without one)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (job, target dir, trigger id); cancel nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;run' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Restore from this savepoint, or `latest`: the newest completed savepoint in the catalogue of a job flinkha ran with the same declared name, entry class and jar content (SHA-256). The restore is verified')
            [CompletionResult]::new('--from-savepoint', '--from-savepoint', [CompletionResultType]::ParameterName, 'Restore from this savepoint, or `latest`: the newest completed savepoint in the catalogue of a job flinkha ran with the same declared name, entry class and jar content (SHA-256). The restore is verified')
            [CompletionResult]::new('--claim-mode', '--claim-mode', [CompletionResultType]::ParameterName, 'What the restored job may do with the savepoint''s files (claimMode on Flink ≥ 1.20, restoreMode before) [default: the declared job''s claim_mode, else no-claim]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Job parallelism [default: the declared job''s, else the cluster''s parallelism.default]')
            [CompletionResult]::new('--parallelism', '--parallelism', [CompletionResultType]::ParameterName, 'Job parallelism [default: the declared job''s, else the cluster''s parallelism.default]')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Main class [default: the declared job''s, else from the jar''s manifest]')
            [CompletionResult]::new('--entry-class', '--entry-class', [CompletionResultType]::ParameterName, 'Main class [default: the declared job''s, else from the jar''s manifest]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait until every task is RUNNING')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Allow savepoint state that maps to no operator (hides missing operator uids: careful)')
            [CompletionResult]::new('--allow-non-restored-state', '--allow-non-restored-state', [CompletionResultType]::ParameterName, 'Allow savepoint state that maps to no operator (hides missing operator uids: careful)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (the resolved spec, savepoint, pre-assigned job id); upload and run nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;savepoints' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;savepoints;list' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;savepoints;prune' {
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the newest N usable savepoints of each job')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only savepoints older than this (e.g. `7d`, `12h`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be disposed of; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;savepoints;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;savepoints;help;list' {
            break
        }
        'flinkha;savepoints;help;prune' {
            break
        }
        'flinkha;savepoints;help;help' {
            break
        }
        'flinkha;upgrade' {
            [CompletionResult]::new('--shadow-ports', '--shadow-ports', [CompletionResultType]::ParameterName, 'Take the shadow''s ports from LO-HI (default: the first free ones above the old deployment''s)')
            [CompletionResult]::new('--on-failure', '--on-failure', [CompletionResultType]::ParameterName, 'When a job''s run or verification fails')
            [CompletionResult]::new('--checkpoints', '--checkpoints', [CompletionResultType]::ParameterName, 'Completed checkpoints each restored job must make before it counts as verified')
            [CompletionResult]::new('--verify-timeout', '--verify-timeout', [CompletionResultType]::ParameterName, 'Bound of each job''s verification (e.g. `5m`)')
            [CompletionResult]::new('--savepoint-timeout', '--savepoint-timeout', [CompletionResultType]::ParameterName, 'Bound of each stop-with-savepoint')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Show the preflight and the plan; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the preflight and the plan; change nothing')
            [CompletionResult]::new('--shadow', '--shadow', [CompletionResultType]::ParameterName, 'Upgrade with a shadow copy: a second deployment of the new version on the same hosts (own cluster-id, ports, dirs; same quorum), each job moved to it one at a time; the old one keeps running, empty, until --finalize')
            [CompletionResult]::new('--finalize', '--finalize', [CompletionResultType]::ParameterName, 'After a shadow upgrade: stop the old deployment (it stays installed, with its conf, for --rollback)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the interrupted upgrade (or rollback) from its journal')
            [CompletionResult]::new('--rollback', '--rollback', [CompletionResultType]::ParameterName, 'Go back to the version before the last upgrade, every job from its pre-upgrade savepoint (also after the upgrade completed)')
            [CompletionResult]::new('--allow-major-upgrade', '--allow-major-upgrade', [CompletionResultType]::ParameterName, 'Allow 1.x → 2.x (state compatibility is not guaranteed; jobs must be rebuilt)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;failover' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;failover;drill' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'With --zookeeper: the host whose ZooKeeper server to kill')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'With --zookeeper: the host whose ZooKeeper server to kill')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The recovery must be complete this long after the kill (e.g. `90s`, `3m`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--zookeeper', '--zookeeper', [CompletionResultType]::ParameterName, 'Kill one ZooKeeper server instead of the leading JobManager (the quorum leader unless --host names another)')
            [CompletionResult]::new('--graceful', '--graceful', [CompletionResultType]::ParameterName, 'SIGTERM (a clean stop) instead of SIGKILL (a crash)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan (what would be killed, what must recover); kill nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;failover;help' {
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;failover;help;drill' {
            break
        }
        'flinkha;failover;help;help' {
            break
        }
        'flinkha;completions' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;man' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml: asks for hosts, roles, Flink version and distribution and HA storage at a terminal; every question also has a flag')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or check the resolved configuration')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Distribute the conf dir (per-host values filled in) and extra files to every host')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Everything `config check` reports, the mistakes HA walkthroughs make, and (unless --offline) live checks on every host over SSH; each finding with a stable id, where it is and the fix. Exit 1 when any finding is an error')
            [CompletionResult]::new('zk', 'zk', [CompletionResultType]::ParameterValue, 'Start and stop the ZooKeeper quorum, or show its state')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit; or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR] [--drain]`) and leave the cluster running')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every daemon on every host, the quorum, the leader, slots and jobs')
            [CompletionResult]::new('leader', 'leader', [CompletionResultType]::ParameterValue, 'Which JobManager leads, from the HA znodes')
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'List jobs, or show one (through the leading JobManager''s REST API)')
            [CompletionResult]::new('savepoint', 'savepoint', [CompletionResultType]::ParameterValue, 'Take a savepoint of a running job (client-chosen trigger id, so a retry never makes two), wait for it, print its path and record it in the catalogue')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by Flink only once the savepoint completed; if it fails, the job keeps running')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Upload a jar to the leading JobManager and run it, waiting until RUNNING; with --from-savepoint, verify the job restored from exactly that savepoint')
            [CompletionResult]::new('savepoints', 'savepoints', [CompletionResultType]::ParameterValue, 'The savepoint catalogue (every savepoint flinkha made)')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade Flink to the inventory''s flink.version, in place (every job stopped with a savepoint, the cluster restarted, every job restored and verified) or with a shadow copy (`--shadow`: a second deployment beside the running one, jobs moved one at a time, the old one kept until `--finalize`); resumable (`--resume`) and reversible (`--rollback`). `--plan` shows what it would do')
            [CompletionResult]::new('failover', 'failover', [CompletionResultType]::ParameterValue, 'Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the recovery')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;help;init' {
            break
        }
        'flinkha;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The resolved view of what each host gets: roles, paths and per-host values')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate inventory and conf dir before anything runs; each finding names file:line')
            break
        }
        'flinkha;help;config;show' {
            break
        }
        'flinkha;help;config;check' {
            break
        }
        'flinkha;help;install' {
            break
        }
        'flinkha;help;sync' {
            break
        }
        'flinkha;help;doctor' {
            break
        }
        'flinkha;help;zk' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the quorum from zoo.cfg with Flink''s bundled ZooKeeper; returns when it serves')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the quorum; returns when the processes are gone')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)')
            break
        }
        'flinkha;help;zk;start' {
            break
        }
        'flinkha;help;zk;stop' {
            break
        }
        'flinkha;help;zk;status' {
            break
        }
        'flinkha;help;start' {
            break
        }
        'flinkha;help;stop' {
            break
        }
        'flinkha;help;status' {
            break
        }
        'flinkha;help;leader' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job''s leader, from the HA znodes')
            break
        }
        'flinkha;help;leader;show' {
            break
        }
        'flinkha;help;jobs' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal')
            break
        }
        'flinkha;help;jobs;list' {
            break
        }
        'flinkha;help;jobs;show' {
            break
        }
        'flinkha;help;savepoint' {
            break
        }
        'flinkha;help;cancel' {
            break
        }
        'flinkha;help;run' {
            break
        }
        'flinkha;help;savepoints' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it')
            break
        }
        'flinkha;help;savepoints;list' {
            break
        }
        'flinkha;help;savepoints;prune' {
            break
        }
        'flinkha;help;upgrade' {
            break
        }
        'flinkha;help;failover' {
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server')
            break
        }
        'flinkha;help;failover;drill' {
            break
        }
        'flinkha;help;completions' {
            break
        }
        'flinkha;help;man' {
            break
        }
        'flinkha;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
