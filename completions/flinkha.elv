
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
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand config 'Show or check the resolved configuration'
            cand install 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
            cand sync 'Distribute the conf dir (per-host values filled in) and extra files to every host'
            cand zk 'Start and stop the ZooKeeper quorum, or show its state'
            cand start 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
            cand stop 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit'
            cand status 'Every daemon on every host, the quorum, the leader, slots and jobs'
            cand leader 'Which JobManager leads, from the HA znodes'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
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
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'The resolved view of what each host gets: roles, paths and per-host values'
            cand check 'Validate inventory and conf dir before anything runs; each finding names file:line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'flinkha;config;show'= {
            cand -H 'Only this host'
            cand --host 'Only this host'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
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
            cand -H 'Only these hosts (repeatable)'
            cand --host 'Only these hosts (repeatable)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --activate 'Point `current` at this version even when it points at another one (an upgrade: running daemons keep their version until restarted)'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;sync'= {
            cand -H 'Only these hosts (repeatable)'
            cand --host 'Only these hosts (repeatable)'
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
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;zk;stop'= {
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
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
            cand -H 'Only these hosts (repeatable)'
            cand --host 'Only these hosts (repeatable)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --zk 'The ZooKeeper quorum'
            cand --jobmanagers 'The JobManagers'
            cand --taskmanagers 'The TaskManagers'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;stop'= {
            cand -H 'Only these hosts (repeatable)'
            cand --host 'Only these hosts (repeatable)'
            cand -c 'Inventory file [default: ./flinkha.yaml]'
            cand --config 'Inventory file [default: ./flinkha.yaml]'
            cand -o 'Output format of results'
            cand --output 'Output format of results'
            cand --zk 'The ZooKeeper quorum'
            cand --jobmanagers 'The JobManagers'
            cand --taskmanagers 'The TaskManagers'
            cand -y 'Answer yes to confirmations (needed when not at a terminal)'
            cand --yes 'Answer yes to confirmations (needed when not at a terminal)'
            cand -q 'Only errors and data; no status lines'
            cand --quiet 'Only errors and data; no status lines'
            cand --no-progress 'No progress bars'
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
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'flinkha;help'= {
            cand config 'Show or check the resolved configuration'
            cand install 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)'
            cand sync 'Distribute the conf dir (per-host values filled in) and extra files to every host'
            cand zk 'Start and stop the ZooKeeper quorum, or show its state'
            cand start 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy'
            cand stop 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit'
            cand status 'Every daemon on every host, the quorum, the leader, slots and jobs'
            cand leader 'Which JobManager leads, from the HA znodes'
            cand completions 'Print shell completions'
            cand man 'Print the man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
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
        &'flinkha;help;completions'= {
        }
        &'flinkha;help;man'= {
        }
        &'flinkha;help;help'= {
        }
    ]
    $completions[$command]
}
