# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_flinkha_global_optspecs
    string join \n c/config= o/output= y/yes q/quiet no-progress v/verbose h/help V/version
end

function __fish_flinkha_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_flinkha_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_flinkha_using_subcommand
    set -l cmd (__fish_flinkha_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c flinkha -n "__fish_flinkha_needs_command" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_needs_command" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_needs_command" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_needs_command" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_needs_command" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_needs_command" -s V -l version -d 'Print version'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "init" -d 'Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml: asks for hosts, roles, Flink version and distribution and HA storage at a terminal; every question also has a flag'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "config" -d 'Show or check the resolved configuration'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "install" -d 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "sync" -d 'Distribute the conf dir (per-host values filled in) and extra files to every host'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "doctor" -d 'Everything `config check` reports, the mistakes HA walkthroughs make, and (unless --offline) live checks on every host over SSH; each finding with a stable id, where it is and the fix. Exit 1 when any finding is an error'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "zk" -d 'Start and stop the ZooKeeper quorum, or show its state'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "start" -d 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "stop" -d 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit; or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR] [--drain]`) and leave the cluster running'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "status" -d 'Every daemon on every host, the quorum, the leader, slots and jobs'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "leader" -d 'Which JobManager leads, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "jobs" -d 'List jobs, or show one (through the leading JobManager\'s REST API)'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "savepoint" -d 'Take a savepoint of a running job (client-chosen trigger id, so a retry never makes two), wait for it, print its path and record it in the catalogue'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "cancel" -d 'Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by Flink only once the savepoint completed; if it fails, the job keeps running'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "run" -d 'Upload a jar to the leading JobManager and run it, waiting until RUNNING; with --from-savepoint, verify the job restored from exactly that savepoint'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "savepoints" -d 'The savepoint catalogue (every savepoint flinkha made)'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "upgrade" -d 'Upgrade Flink to the inventory\'s flink.version, in place (every job stopped with a savepoint, the cluster restarted, every job restored and verified) or with a shadow copy (`--shadow`: a second deployment beside the running one, jobs moved one at a time, the old one kept until `--finalize`); resumable (`--resume`) and reversible (`--rollback`). `--plan` shows what it would do'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "failover" -d 'Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the recovery'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "man" -d 'Print the man page (roff) to stdout'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l host -d 'A host: `name=address[:ssh-port]` (repeatable, in order; the first hosts get the ZooKeeper servers and JobManagers by default)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l zookeeper -d 'ZooKeeper hosts, comma-separated [default: the first 3 hosts, or the first one with fewer than 3]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l jobmanagers -d 'JobManager hosts, comma-separated [default: the first 2 hosts]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l taskmanagers -d 'TaskManager hosts, comma-separated [default: every host]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l flink-version -d 'Flink version, e.g. `2.1.0` (1.19 or later)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l distribution -d 'The Flink distribution tarball: a local path or an HTTP(S) URL [default: Apache\'s archive URL of flink-<version>-bin-scala_2.12.tgz]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l sha512 -d 'The tarball\'s SHA-512 (hex) [default: read from `<distribution>.sha512`]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l ha-storage -d '`high-availability.storageDir`: an absolute URI on storage every JobManager reaches (`hdfs:///flink/ha`, `s3://bucket/flink/ha`, `file:///nfs/flink/ha`; an absolute path becomes `file://…`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l cluster -d 'Short cluster name (daemon ident strings, pid and log files) [default: flink]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l cluster-id -d '`high-availability.cluster-id` [default: /<cluster>]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l checkpoints -d '`execution.checkpointing.dir` [default: beside the HA storage dir, `…/checkpoints`]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l savepoints -d '`execution.checkpointing.savepoint-dir` [default: beside the HA storage dir, `…/savepoints`]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l root -d 'Install root on every host; `{host}` is replaced by each host\'s name (several hosts on one machine) [default: /opt/flink]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l ssh-user -d 'SSH login user [default: the user running flinkha]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l ssh-port -d 'SSH port of every host without its own `:port` [default: 22]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l identity-file -d 'SSH private key file [default: the agent only]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l known-hosts -d 'known_hosts file [default: ~/.ssh/known_hosts]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l host-key-policy -d '`strict` (unknown host keys refused) or `accept-new` [default: strict]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l force -d 'Replace a non-empty DIR (it is kept as DIR.bak-<UTC time>)'
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "show" -d 'The resolved view of what each host gets: roles, paths and per-host values'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "check" -d 'Validate inventory and conf dir before anything runs; each finding names file:line'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s H -l host -d 'Only this host (`-H` without a name picks one at the terminal)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'The resolved view of what each host gets: roles, paths and per-host values'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate inventory and conf dir before anything runs; each finding names file:line'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s H -l host -d 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -l activate -d 'Point `current` at this version even when it points at another one (an upgrade: running daemons keep their version until restarted)'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -l dry-run -d 'Show the plan (what each host has, where it would install); fetch, upload and change nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s H -l host -d 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s n -l dry-run -d 'Show a per-host diff of what would change; change nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -l offline -d 'Only the checks that need no host (conf dir and inventory); no SSH'
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "start" -d 'Start the quorum from zoo.cfg with Flink\'s bundled ZooKeeper; returns when it serves'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "stop" -d 'Stop the quorum; returns when the processes are gone'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "status" -d 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -l dry-run -d 'Show the plan (which servers start, which already run); start nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -l dry-run -d 'Show the plan (which servers stop, with pids); stop nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the quorum from zoo.cfg with Flink\'s bundled ZooKeeper; returns when it serves'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the quorum; returns when the processes are gone'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "status" -d 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s H -l host -d 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l zk -d 'The ZooKeeper quorum'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l jobmanagers -d 'The JobManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l taskmanagers -d 'The TaskManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l dry-run -d 'Show the plan (what starts where, what already runs); start nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s H -l host -d 'Only these hosts (repeatable; `-H` without a name picks one at the terminal)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l savepoint -d 'With JOB: savepoint target directory [default: the declared job\'s savepoint_dir, else execution.checkpointing.savepoint-dir]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l format -d 'With JOB: savepoint format' -r -f -a "canonical\t'Portable across state backends (Flink\'s default)'
native\t'The state backend\'s own format: faster, tied to the backend'"
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l timeout -d 'With JOB: how long to wait for the savepoint (e.g. `90s`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l zk -d 'The ZooKeeper quorum'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l jobmanagers -d 'The JobManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l taskmanagers -d 'The TaskManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l drain -d 'With JOB: emit MAX_WATERMARK before stopping (flushes event-time windows and timers)'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l dry-run -d 'Show the plan (what runs where, with pids; with JOB: the stop-with-savepoint); stop nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l with-savepoints -d 'Stop every running job with a savepoint (Flink\'s stop-with-savepoint, to the cluster\'s savepoint dir, recorded in the catalogue) before any daemon is stopped; a savepoint that fails ends the plan with every daemon still up. Offered at a terminal when high availability is off (nothing would recover the jobs)'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job\'s leader, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s w -l watch -d 'Follow changes (failover) until interrupted, printing each with a timestamp'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from help" -f -a "show" -d 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job\'s leader, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from help" -f -a "show" -d 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal'
complete -c flinkha -n "__fish_flinkha_using_subcommand jobs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s d -l target-dir -d 'Target directory (every JobManager and TaskManager must be able to write it) [default: the declared job\'s savepoint_dir, else execution.checkpointing.savepoint-dir of config.yaml]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -l format -d 'Savepoint format' -r -f -a "canonical\t'Portable across state backends (Flink\'s default)'
native\t'The state backend\'s own format: faster, tied to the backend'"
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -l timeout -d 'How long to wait for the savepoint to complete (e.g. `90s`, `10m`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -l dry-run -d 'Show the plan (job, target dir, trigger id); trigger nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -l format -d 'Savepoint format' -r -f -a "canonical\t'Portable across state backends (Flink\'s default)'
native\t'The state backend\'s own format: faster, tied to the backend'"
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -l timeout -d 'How long to wait for the savepoint to complete (e.g. `90s`, `10m`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s s -l with-savepoint -d 'Cancel with a savepoint (required: flinkha never cancels a job without one)'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -l dry-run -d 'Show the plan (job, target dir, trigger id); cancel nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s s -l from-savepoint -d 'Restore from this savepoint, or `latest`: the newest completed savepoint in the catalogue of a job flinkha ran with the same declared name, entry class and jar content (SHA-256). The restore is verified' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -l claim-mode -d 'What the restored job may do with the savepoint\'s files (claimMode on Flink ≥ 1.20, restoreMode before) [default: the declared job\'s claim_mode, else no-claim]' -r -f -a "no-claim\t'The job never deletes the savepoint\'s files (Flink\'s default)'
claim\t'The job takes ownership of the savepoint (may delete it once subsumed)'
legacy\t'Legacy behaviour (deprecated in Flink)'"
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s p -l parallelism -d 'Job parallelism [default: the declared job\'s, else the cluster\'s parallelism.default]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s e -l entry-class -d 'Main class [default: the declared job\'s, else from the jar\'s manifest]' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -l timeout -d 'How long to wait until every task is RUNNING' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s n -l allow-non-restored-state -d 'Allow savepoint state that maps to no operator (hides missing operator uids: careful)'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -l dry-run -d 'Show the plan (the resolved spec, savepoint, pre-assigned job id); upload and run nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -f -a "list" -d 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -f -a "prune" -d 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and not __fish_seen_subcommand_from list prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -l keep -d 'Keep the newest N usable savepoints of each job' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -l older-than -d 'Only savepoints older than this (e.g. `7d`, `12h`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -l dry-run -d 'Show what would be disposed of; change nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from help" -f -a "list" -d 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it'
complete -c flinkha -n "__fish_flinkha_using_subcommand savepoints; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l shadow-ports -d 'Take the shadow\'s ports from LO-HI (default: the first free ones above the old deployment\'s)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l on-failure -d 'When a job\'s run or verification fails' -r -f -a "ask\t'Ask at a terminal; without one, stop'
rollback\t'Roll back at once: every job back on the old version from its pre-upgrade savepoint'
stop\t'Stop and leave everything as it is (resume with `--resume`, or `--rollback`). In a shadow upgrade the failed job first goes back to the old deployment'
continue\t'Shadow upgrade: move the failed job back to the old deployment and go on with the other jobs (the shadow is then not made the only active deployment)'"
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l checkpoints -d 'Completed checkpoints each restored job must make before it counts as verified' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l verify-timeout -d 'Bound of each job\'s verification (e.g. `5m`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l savepoint-timeout -d 'Bound of each stop-with-savepoint' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l plan -l dry-run -d 'Show the preflight and the plan; change nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l shadow -d 'Upgrade with a shadow copy: a second deployment of the new version on the same hosts (own cluster-id, ports, dirs; same quorum), each job moved to it one at a time; the old one keeps running, empty, until --finalize'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l finalize -d 'After a shadow upgrade: stop the old deployment (it stays installed, with its conf, for --rollback)'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l resume -d 'Continue the interrupted upgrade (or rollback) from its journal'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l rollback -d 'Go back to the version before the last upgrade, every job from its pre-upgrade savepoint (also after the upgrade completed)'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l allow-major-upgrade -d 'Allow 1.x → 2.x (state compatibility is not guaranteed; jobs must be rebuilt)'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand upgrade" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -f -a "drill" -d 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and not __fish_seen_subcommand_from drill help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s H -l host -d 'With --zookeeper: the host whose ZooKeeper server to kill' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -l timeout -d 'The recovery must be complete this long after the kill (e.g. `90s`, `3m`)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -l zookeeper -d 'Kill one ZooKeeper server instead of the leading JobManager (the quorum leader unless --host names another)'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -l graceful -d 'SIGTERM (a clean stop) instead of SIGKILL (a crash)'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -l dry-run -d 'Show the plan (what would be killed, what must recover); kill nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from drill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from help" -f -a "drill" -d 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server'
complete -c flinkha -n "__fish_flinkha_using_subcommand failover; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s v -l verbose -d 'Trace on stderr: -v each SSH command, upload, REST call and ZooKeeper read with its host and duration; -vv also whole commands, payload sizes and retries. Secret values are hidden. Turns progress bars off. FLINKHA_LOG (or RUST_LOG), e.g. `flinkha=debug`, replaces this filter'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "init" -d 'Write a new conf dir (masters, workers, zoo.cfg, config.yaml) and flinkha.yaml: asks for hosts, roles, Flink version and distribution and HA storage at a terminal; every question also has a flag'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "config" -d 'Show or check the resolved configuration'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "install" -d 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "sync" -d 'Distribute the conf dir (per-host values filled in) and extra files to every host'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "doctor" -d 'Everything `config check` reports, the mistakes HA walkthroughs make, and (unless --offline) live checks on every host over SSH; each finding with a stable id, where it is and the fix. Exit 1 when any finding is an error'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "zk" -d 'Start and stop the ZooKeeper quorum, or show its state'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "start" -d 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "stop" -d 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit; or, given a JOB, stop that job with a savepoint (`flinkha stop JOB [--savepoint DIR] [--drain]`) and leave the cluster running'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "status" -d 'Every daemon on every host, the quorum, the leader, slots and jobs'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "leader" -d 'Which JobManager leads, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "jobs" -d 'List jobs, or show one (through the leading JobManager\'s REST API)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "savepoint" -d 'Take a savepoint of a running job (client-chosen trigger id, so a retry never makes two), wait for it, print its path and record it in the catalogue'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "cancel" -d 'Cancel a job with a savepoint (`flinkha cancel -s [DIR] JOB`): the job is cancelled by Flink only once the savepoint completed; if it fails, the job keeps running'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "run" -d 'Upload a jar to the leading JobManager and run it, waiting until RUNNING; with --from-savepoint, verify the job restored from exactly that savepoint'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "savepoints" -d 'The savepoint catalogue (every savepoint flinkha made)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "upgrade" -d 'Upgrade Flink to the inventory\'s flink.version, in place (every job stopped with a savepoint, the cluster restarted, every job restored and verified) or with a shadow copy (`--shadow`: a second deployment beside the running one, jobs moved one at a time, the old one kept until `--finalize`); resumable (`--resume`) and reversible (`--rollback`). `--plan` shows what it would do'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "failover" -d 'Failover drills: kill the leading JobManager (or a ZooKeeper server) and measure the recovery'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "completions" -d 'Print shell completions'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "man" -d 'Print the man page (roff) to stdout'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from init config install sync doctor zk start stop status leader jobs savepoint cancel run savepoints upgrade failover completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'The resolved view of what each host gets: roles, paths and per-host values'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate inventory and conf dir before anything runs; each finding names file:line'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from zk" -f -a "start" -d 'Start the quorum from zoo.cfg with Flink\'s bundled ZooKeeper; returns when it serves'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from zk" -f -a "stop" -d 'Stop the quorum; returns when the processes are gone'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from zk" -f -a "status" -d 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from leader" -f -a "show" -d 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job\'s leader, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from jobs" -f -a "list" -d 'Every job the leading JobManager knows: id, name, state, start time, duration, last completed checkpoint, restarts'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from jobs" -f -a "show" -d 'One job: details, vertices and checkpoint statistics. JOB is an id, a unique id prefix, or a name; without it, pick one at the terminal'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from savepoints" -f -a "list" -d 'The savepoint catalogue (every savepoint flinkha made, with its outcome), oldest first'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from savepoints" -f -a "prune" -d 'Dispose of old savepoints through the JobManager (`POST /savepoint-disposal`): per job name, all but the newest --keep (at least 1 is always kept), optionally only those older than --older-than. Shows the plan and asks first; --dry-run only shows it'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from failover" -f -a "drill" -d 'Kill the leading JobManager (`kill -9`, or SIGTERM with --graceful) after confirmation, measure until a new leader is published, every TaskManager is registered again and each job is RUNNING again (and from which checkpoint), then restart the killed JobManager as a standby. `--zookeeper` does the same for one quorum server'
