# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_flinkha_global_optspecs
    string join \n c/config= o/output= y/yes q/quiet no-progress h/help V/version
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
complete -c flinkha -n "__fish_flinkha_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_needs_command" -s V -l version -d 'Print version'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "config" -d 'Show or check the resolved configuration'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "install" -d 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "sync" -d 'Distribute the conf dir (per-host values filled in) and extra files to every host'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "zk" -d 'Start and stop the ZooKeeper quorum, or show its state'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "start" -d 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "stop" -d 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "status" -d 'Every daemon on every host, the quorum, the leader, slots and jobs'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "leader" -d 'Which JobManager leads, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "man" -d 'Print the man page (roff) to stdout'
complete -c flinkha -n "__fish_flinkha_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "show" -d 'The resolved view of what each host gets: roles, paths and per-host values'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "check" -d 'Validate inventory and conf dir before anything runs; each finding names file:line'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and not __fish_seen_subcommand_from show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s H -l host -d 'Only this host' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'The resolved view of what each host gets: roles, paths and per-host values'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate inventory and conf dir before anything runs; each finding names file:line'
complete -c flinkha -n "__fish_flinkha_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s H -l host -d 'Only these hosts (repeatable)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -l activate -d 'Point `current` at this version even when it points at another one (an upgrade: running daemons keep their version until restarted)'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s H -l host -d 'Only these hosts (repeatable)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s n -l dry-run -d 'Show a per-host diff of what would change; change nothing'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "start" -d 'Start the quorum from zoo.cfg with Flink\'s bundled ZooKeeper; returns when it serves'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "stop" -d 'Stop the quorum; returns when the processes are gone'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "status" -d 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and not __fish_seen_subcommand_from start stop status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the quorum from zoo.cfg with Flink\'s bundled ZooKeeper; returns when it serves'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the quorum; returns when the processes are gone'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "status" -d 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
complete -c flinkha -n "__fish_flinkha_using_subcommand zk; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s H -l host -d 'Only these hosts (repeatable)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l zk -d 'The ZooKeeper quorum'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l jobmanagers -d 'The JobManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l taskmanagers -d 'The TaskManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s H -l host -d 'Only these hosts (repeatable)' -r
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l zk -d 'The ZooKeeper quorum'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l jobmanagers -d 'The JobManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l taskmanagers -d 'The TaskManagers'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and not __fish_seen_subcommand_from show help" -l no-progress -d 'No progress bars'
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
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from help" -f -a "show" -d 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job\'s leader, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_using_subcommand leader; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s c -l config -d 'Inventory file [default: ./flinkha.yaml]' -r -F
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s o -l output -d 'Output format of results' -r -f -a "table\t'Tables and text for people'
json\t'One JSON document with a `"version"` field, for scripts'"
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (needed when not at a terminal)'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s q -l quiet -d 'Only errors and data; no status lines'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -l no-progress -d 'No progress bars'
complete -c flinkha -n "__fish_flinkha_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "config" -d 'Show or check the resolved configuration'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "install" -d 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "sync" -d 'Distribute the conf dir (per-host values filled in) and extra files to every host'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "zk" -d 'Start and stop the ZooKeeper quorum, or show its state'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "start" -d 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "stop" -d 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "status" -d 'Every daemon on every host, the quorum, the leader, slots and jobs'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "leader" -d 'Which JobManager leads, from the HA znodes'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "completions" -d 'Print shell completions'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "man" -d 'Print the man page (roff) to stdout'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and not __fish_seen_subcommand_from config install sync zk start stop status leader completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'The resolved view of what each host gets: roles, paths and per-host values'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate inventory and conf dir before anything runs; each finding names file:line'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from zk" -f -a "start" -d 'Start the quorum from zoo.cfg with Flink\'s bundled ZooKeeper; returns when it serves'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from zk" -f -a "stop" -d 'Stop the quorum; returns when the processes are gone'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from zk" -f -a "status" -d 'Per server: mode, zxid, connections, latency (four-letter word `srvr`)'
complete -c flinkha -n "__fish_flinkha_using_subcommand help; and __fish_seen_subcommand_from leader" -f -a "show" -d 'The leading JobManager, its dispatcher / resource manager / REST addresses, the leader session id, the latch contenders in order and each job\'s leader, from the HA znodes'
