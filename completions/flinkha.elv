
use builtin;
use str;

set edit:completion:arg-completer[flinkha] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'flinkha'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'flinkha'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml: asks for hosts, roles, Flink version and distribution and HA storage at a terminal; every question also has a flag'
            cand config 'Show or check the resolved configuration'
            cand install 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
            cand sync 'Distribute the conf dir (per-host values filled in) and extra files to every host'
            cand doctor 'Everything `config check` reports, the mistakes HA walkthroughs make, and (unless --offline) live checks on every host over SSH; each finding with a stable id, where it is and the fix. Exit 1 when any finding is an error'
            cand zk 'Start and stop the ZooKeeper quorum, or show its state'
            cand start 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
            cand stop 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit; or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR] [--drain]`) and leave the cluster running'
            cand status 'Every daemon on every host, the quorum, the leader, slots and jobs'
            cand leader 'Which JobManager leads, from the HA znodes'
            cand jobs 'List jobs, or show one (through the leading JobManager''s REST API)'
            cand savepoint 'Take a savepoint of a running job (client-chosen trigger id, so a retry never makes two), wait for it, print its path and record it in the catalogue'
            cand cancel 'Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by Flink only once the savepoint completed; if it fails, the job keeps running'
            cand run 'Upload a jar to the leading JobManager and run it, waiting until RUNNING; with --from-savepoint, verify the job restored from exactly that savepoint'
            cand savepoints 'The savepoint catalogue (every savepoint flinkha made)'
            cand upgrade 'Upgrade Flink to the inventory''s flink.version, in place (every job stopped with a savepoint, the cluster restarted, every job restored and verified) or with a shadow copy (`--shadow`: a second deployment beside the running one, jobs moved one at a time, the old one kept until `--finalize`); resumable (`--resume`) and reversible (`--rollback`). `--plan` shows what it would do'
            cand failover 'Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the recovery'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;init'= {
            cand --host 'A host: `name=address[:ssh-port]` (repeatable, in order; the first hosts get the ZooKeeper servers and JobManagers by default)'
            cand --zookeeper 'ZooKeeper hosts, comma-separated [default: the first 3 hosts, or the first one with fewer than 3]'
            cand --jobmanagers 'JobManager hosts, comma-separated [default: the first 2 hosts]'
            cand --taskmanagers 'TaskManager hosts, comma-separated [default: every host]'
            cand --flink-version 'Flink version, e.g. `2.1.0` (1.19 or later)'
            cand --distribution 'The Flink distribution tarball: a local path or an HTTP(S) URL [default: Apache''s archive URL of flink-<version>-bin-scala_2.12.tgz]'
            cand --sha512 'The tarball''s SHA-512 (hex) [default: read from `<distribution>.sha512`]'
            cand --ha-storage '`high-availability.storageDir`: an absolute URI on storage every JobManager reaches (`hdfs:///flink/ha`, `s3://bucket/flink/ha`, `file:///nfs/flink/ha`; an absolute path becomes `file://…`)'
            cand --cluster 'Short cluster name (daemon ident strings, pid and log files) [default: flink]'
            cand --cluster-id '`high-availability.cluster-id` [default: /<cluster>]'
            cand --checkpoints '`execution.checkpointing.dir` [default: beside the HA storage dir, `…/checkpoints`]'
            cand --savepoints '`execution.checkpointing.savepoint-dir` [default: beside the HA storage dir, `…/savepoints`]'
            cand --root 'Install root on every host; `{host}` is replaced by each host''s name (several hosts on one machine) [default: /opt/flink]'
            cand --ssh-user 'SSH login user [default: the user running flinkha]'
            cand --ssh-port 'SSH port of every host without its own `:port` [default: 22]'
            cand --identity-file 'SSH private key file [default: the agent only]'
            cand --known-hosts 'known_hosts file [default: ~/.ssh/known_hosts]'
            cand --host-key-policy '`strict` (unknown host keys refused) or `accept-new` [default: strict]'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --force 'Replace a non-empty DIR (it is kept as DIR.bak-<UTC time>)'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;config'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'The resolved view of what each host gets: roles, paths and per-host values'
            cand check 'Validate inventory and conf dir before anything runs; each finding names file:line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;config;show'= {
            cand -H 'Only this host (`-H` without a name picks one at the terminal)'
            cand --host 'Only this host (`-H` without a name picks one at the terminal)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;config;check'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;config;help'= {
            cand show 'The resolved view of what each host gets: roles, paths and per-host values'
            cand check 'Validate inventory and conf dir before anything runs; each finding names file:line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;config;help;show'= {
        }
        &'flinkha;config;help;check'= {
        }
        &'flinkha;config;help;help'= {
        }
        &'flinkha;install'= {
            cand -H 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand --host 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --activate 'Point `current` at this version even when it points at another one (an upgrade: running daemons keep their version until restarted)'
            cand --dry-run 'Show the plan (what each host has, where it would install); fetch, upload and change nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;sync'= {
            cand -H 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand --host 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -n 'Show a per-host diff of what would change; change nothing'
            cand --dry-run 'Show a per-host diff of what would change; change nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;doctor'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --offline 'Only the checks that need no host (conf dir and inventory); no SSH'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;zk'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand start 'Start the quorum from zoo.cfg with Flink''s bundled ZooKeeper; returns when it serves'
            cand stop 'Stop the quorum; returns when the processes are gone'
            cand status 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;zk;start'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --dry-run 'Show the plan (which servers start, which already run); start nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;zk;stop'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --dry-run 'Show the plan (which servers stop, with pids); stop nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;zk;status'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;zk;help'= {
            cand start 'Start the quorum from zoo.cfg with Flink''s bundled ZooKeeper; returns when it serves'
            cand stop 'Stop the quorum; returns when the processes are gone'
            cand status 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;zk;help;start'= {
        }
        &'flinkha;zk;help;stop'= {
        }
        &'flinkha;zk;help;status'= {
        }
        &'flinkha;zk;help;help'= {
        }
        &'flinkha;start'= {
            cand -H 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand --host 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --zk 'The ZooKeeper quorum'
            cand --jobmanagers 'The JobManagers'
            cand --taskmanagers 'The TaskManagers'
            cand --dry-run 'Show the plan (what starts where, what already runs); start nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;stop'= {
            cand -H 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand --host 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)'
            cand --savepoint 'With JOB: savepoint target directory [default: the declared job''s savepoint_dir, else execution.checkpointing.savepoint-dir]'
            cand --format 'With JOB: savepoint format'
            cand --timeout 'With JOB: how long to wait for the savepoint (e.g. `90s`)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --zk 'The ZooKeeper quorum'
            cand --jobmanagers 'The JobManagers'
            cand --taskmanagers 'The TaskManagers'
            cand --drain 'With JOB: emit MAX_WATERMARK before stopping (flushes event-time windows and timers)'
            cand --dry-run 'Show the plan (what runs where, with pids; with JOB: the stop-with-savepoint); stop nothing'
            cand --with-savepoints 'Stop every running job with a savepoint (Flink''s stop-with-savepoint, to the cluster''s savepoint dir, recorded in the catalogue) before any daemon is stopped; a savepoint that fails ends the plan with every daemon still up. Offered at a terminal when high availability is off (nothing would recover the jobs)'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;status'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;leader'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job''s leader, from the HA znodes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;leader;show'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -w 'Follow changes (failover) until interrupted, printing each with a timestamp'
            cand --watch 'Follow changes (failover) until interrupted, printing each with a timestamp'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;leader;help'= {
            cand show 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job''s leader, from the HA znodes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;leader;help;show'= {
        }
        &'flinkha;leader;help;help'= {
        }
        &'flinkha;jobs'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts'
            cand show 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;jobs;list'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;jobs;show'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;jobs;help'= {
            cand list 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts'
            cand show 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;jobs;help;list'= {
        }
        &'flinkha;jobs;help;show'= {
        }
        &'flinkha;jobs;help;help'= {
        }
        &'flinkha;savepoint'= {
            cand -d 'Target directory (every JobManager and TaskManager must be able to write it) [default: the declared job''s savepoint_dir, else execution.checkpointing.savepoint-dir of config.yaml]'
            cand --target-dir 'Target directory (every JobManager and TaskManager must be able to write it) [default: the declared job''s savepoint_dir, else execution.checkpointing.savepoint-dir of config.yaml]'
            cand --format 'Savepoint format'
            cand --timeout 'How long to wait for the savepoint to complete (e.g. `90s`, `10m`)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --dry-run 'Show the plan (job, target dir, trigger id); trigger nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;cancel'= {
            cand --format 'Savepoint format'
            cand --timeout 'How long to wait for the savepoint to complete (e.g. `90s`, `10m`)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -s 'Cancel with a savepoint (required: flinkha never cancels a job without one)'
            cand --with-savepoint 'Cancel with a savepoint (required: flinkha never cancels a job without one)'
            cand --dry-run 'Show the plan (job, target dir, trigger id); cancel nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;run'= {
            cand -s 'Restore from this savepoint, or `latest`: the newest completed savepoint in the catalogue of a job flinkha ran with the same declared name, entry class and jar content (SHA-256). The restore is verified'
            cand --from-savepoint 'Restore from this savepoint, or `latest`: the newest completed savepoint in the catalogue of a job flinkha ran with the same declared name, entry class and jar content (SHA-256). The restore is verified'
            cand --claim-mode 'What the restored job may do with the savepoint''s files (claimMode on Flink ≥ 1.20, restoreMode before) [default: the declared job''s claim_mode, else no-claim]'
            cand -p 'Job parallelism [default: the declared job''s, else the cluster''s parallelism.default]'
            cand --parallelism 'Job parallelism [default: the declared job''s, else the cluster''s parallelism.default]'
            cand -e 'Main class [default: the declared job''s, else from the jar''s manifest]'
            cand --entry-class 'Main class [default: the declared job''s, else from the jar''s manifest]'
            cand --timeout 'How long to wait until every task is RUNNING'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -n 'Allow savepoint state that maps to no operator (hides missing operator uids: careful)'
            cand --allow-non-restored-state 'Allow savepoint state that maps to no operator (hides missing operator uids: careful)'
            cand --dry-run 'Show the plan (the resolved spec, savepoint, pre-assigned job id); upload and run nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;savepoints'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first'
            cand prune 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;savepoints;list'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;savepoints;prune'= {
            cand --keep 'Keep the newest N usable savepoints of each job'
            cand --older-than 'Only savepoints older than this (e.g. `7d`, `12h`)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --dry-run 'Show what would be disposed of; change nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;savepoints;help'= {
            cand list 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first'
            cand prune 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;savepoints;help;list'= {
        }
        &'flinkha;savepoints;help;prune'= {
        }
        &'flinkha;savepoints;help;help'= {
        }
        &'flinkha;upgrade'= {
            cand --shadow-ports 'Take the shadow''s ports from LO-HI (default: the first free ones above the old deployment''s)'
            cand --on-failure 'When a job''s run or verification fails'
            cand --checkpoints 'Completed checkpoints each restored job must make before it counts as verified'
            cand --verify-timeout 'Bound of each job''s verification (e.g. `5m`)'
            cand --savepoint-timeout 'Bound of each stop-with-savepoint'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --plan 'Show the preflight and the plan; change nothing'
            cand --dry-run 'Show the preflight and the plan; change nothing'
            cand --shadow 'Upgrade with a shadow copy: a second deployment of the new version on the same hosts (own cluster-id, ports, dirs; same quorum), each job moved to it one at a time; the old one keeps running, empty, until --finalize'
            cand --finalize 'After a shadow upgrade: stop the old deployment (it stays installed, with its conf, for --rollback)'
            cand --resume 'Continue the interrupted upgrade (or rollback) from its journal'
            cand --rollback 'Go back to the version before the last upgrade, every job from its pre-upgrade savepoint (also after the upgrade completed)'
            cand --allow-major-upgrade 'Allow 1.x → 2.x (state compatibility is not guaranteed; jobs must be rebuilt)'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;failover'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand drill 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;failover;drill'= {
            cand -H 'With --zookeeper: the host whose ZooKeeper server to kill'
            cand --host 'With --zookeeper: the host whose ZooKeeper server to kill'
            cand --timeout 'The recovery must be complete this long after the kill (e.g. `90s`, `3m`)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --zookeeper 'Kill one ZooKeeper server instead of the leading JobManager (the quorum leader unless --host names another)'
            cand --graceful 'SIGTERM (a clean stop) instead of SIGKILL (a crash)'
            cand --dry-run 'Show the plan (what would be killed, what must recover); kill nothing'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;failover;help'= {
            cand drill 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;failover;help;drill'= {
        }
        &'flinkha;failover;help;help'= {
        }
        &'flinkha;completions'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;man'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -v 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand --verbose 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;help'= {
            cand init 'Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml: asks for hosts, roles, Flink version and distribution and HA storage at a terminal; every question also has a flag'
            cand config 'Show or check the resolved configuration'
            cand install 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
            cand sync 'Distribute the conf dir (per-host values filled in) and extra files to every host'
            cand doctor 'Everything `config check` reports, the mistakes HA walkthroughs make, and (unless --offline) live checks on every host over SSH; each finding with a stable id, where it is and the fix. Exit 1 when any finding is an error'
            cand zk 'Start and stop the ZooKeeper quorum, or show its state'
            cand start 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
            cand stop 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit; or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR] [--drain]`) and leave the cluster running'
            cand status 'Every daemon on every host, the quorum, the leader, slots and jobs'
            cand leader 'Which JobManager leads, from the HA znodes'
            cand jobs 'List jobs, or show one (through the leading JobManager''s REST API)'
            cand savepoint 'Take a savepoint of a running job (client-chosen trigger id, so a retry never makes two), wait for it, print its path and record it in the catalogue'
            cand cancel 'Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by Flink only once the savepoint completed; if it fails, the job keeps running'
            cand run 'Upload a jar to the leading JobManager and run it, waiting until RUNNING; with --from-savepoint, verify the job restored from exactly that savepoint'
            cand savepoints 'The savepoint catalogue (every savepoint flinkha made)'
            cand upgrade 'Upgrade Flink to the inventory''s flink.version, in place (every job stopped with a savepoint, the cluster restarted, every job restored and verified) or with a shadow copy (`--shadow`: a second deployment beside the running one, jobs moved one at a time, the old one kept until `--finalize`); resumable (`--resume`) and reversible (`--rollback`). `--plan` shows what it would do'
            cand failover 'Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the recovery'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;help;init'= {
        }
        &'flinkha;help;config'= {
            cand show 'The resolved view of what each host gets: roles, paths and per-host values'
            cand check 'Validate inventory and conf dir before anything runs; each finding names file:line'
        }
        &'flinkha;help;config;show'= {
        }
        &'flinkha;help;config;check'= {
        }
        &'flinkha;help;install'= {
        }
        &'flinkha;help;sync'= {
        }
        &'flinkha;help;doctor'= {
        }
        &'flinkha;help;zk'= {
            cand start 'Start the quorum from zoo.cfg with Flink''s bundled ZooKeeper; returns when it serves'
            cand stop 'Stop the quorum; returns when the processes are gone'
            cand status 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
        }
        &'flinkha;help;zk;start'= {
        }
        &'flinkha;help;zk;stop'= {
        }
        &'flinkha;help;zk;status'= {
        }
        &'flinkha;help;start'= {
        }
        &'flinkha;help;stop'= {
        }
        &'flinkha;help;status'= {
        }
        &'flinkha;help;leader'= {
            cand show 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job''s leader, from the HA znodes'
        }
        &'flinkha;help;leader;show'= {
        }
        &'flinkha;help;jobs'= {
            cand list 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts'
            cand show 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal'
        }
        &'flinkha;help;jobs;list'= {
        }
        &'flinkha;help;jobs;show'= {
        }
        &'flinkha;help;savepoint'= {
        }
        &'flinkha;help;cancel'= {
        }
        &'flinkha;help;run'= {
        }
        &'flinkha;help;savepoints'= {
            cand list 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first'
            cand prune 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it'
        }
        &'flinkha;help;savepoints;list'= {
        }
        &'flinkha;help;savepoints;prune'= {
        }
        &'flinkha;help;upgrade'= {
        }
        &'flinkha;help;failover'= {
            cand drill 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server'
        }
        &'flinkha;help;failover;drill'= {
        }
        &'flinkha;help;completions'= {
        }
        &'flinkha;help;man'= {
        }
        &'flinkha;help;help'= {
        }
    ]
    $completions[$command]
}
