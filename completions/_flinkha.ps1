
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
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or check the resolved configuration')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Distribute the conf dir (per-host values filled in) and extra files to every host')
            [CompletionResult]::new('zk', 'zk', [CompletionResultType]::ParameterValue, 'Start and stop the ZooKeeper quorum, or show its state')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every daemon on every host, the quorum, the leader, slots and jobs')
            [CompletionResult]::new('leader', 'leader', [CompletionResultType]::ParameterValue, 'Which JobManager leads, from the HA znodes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
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
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The resolved view of what each host gets: roles, paths and per-host values')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate inventory and conf dir before anything runs; each finding names file:line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'flinkha;config;show' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only this host')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only this host')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
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
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--activate', '--activate', [CompletionResultType]::ParameterName, 'Point `current` at this version even when it points at another one (an upgrade: running daemons keep their version until restarted)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;sync' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
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
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;zk;stop' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
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
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'The ZooKeeper quorum')
            [CompletionResult]::new('--jobmanagers', '--jobmanagers', [CompletionResultType]::ParameterName, 'The JobManagers')
            [CompletionResult]::new('--taskmanagers', '--taskmanagers', [CompletionResultType]::ParameterName, 'The TaskManagers')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;stop' {
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Only these hosts (repeatable)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file [default: ./flinkha.yaml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'The ZooKeeper quorum')
            [CompletionResult]::new('--jobmanagers', '--jobmanagers', [CompletionResultType]::ParameterName, 'The JobManagers')
            [CompletionResult]::new('--taskmanagers', '--taskmanagers', [CompletionResultType]::ParameterName, 'The TaskManagers')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed when not at a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors and data; no status lines')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
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
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'flinkha;help' {
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or check the resolved configuration')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Put the Flink distribution on every host (verified, versioned, `current` switched atomically)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Distribute the conf dir (per-host values filled in) and extra files to every host')
            [CompletionResult]::new('zk', 'zk', [CompletionResultType]::ParameterValue, 'Start and stop the ZooKeeper quorum, or show its state')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the cluster (quorum → JobManagers → TaskManagers), waiting until healthy')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the cluster (TaskManagers → JobManagers → quorum), waiting until processes exit')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every daemon on every host, the quorum, the leader, slots and jobs')
            [CompletionResult]::new('leader', 'leader', [CompletionResultType]::ParameterValue, 'Which JobManager leads, from the HA znodes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
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
