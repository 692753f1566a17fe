namespace Bittensor.Cli.Commands;

/// <summary>
/// Shell completion: each script asks the CLI itself through System.CommandLine's suggest directive
/// (<c>bittensor "[suggest:POSITION]" "COMMAND LINE"</c>), so verbs, options, option values and wallet names complete
/// from the same command tree that parses them. No helper tool is needed.
/// </summary>
internal static class CompletionScripts
{
    public static readonly string[] Shells = ["bash", "zsh", "pwsh"];

    public static string For(string shell) => shell switch
    {
        "bash" => """
            # bittensor completion for bash: eval "$(bittensor completion bash)"
            _bittensor_complete() {
                local line="${COMP_LINE#* }"
                local pos=$((COMP_POINT - ${#COMP_LINE} + ${#line}))
                local IFS=$'\n'
                COMPREPLY=($(bittensor "[suggest:${pos}]" "${line}" 2>/dev/null))
            }
            complete -o default -F _bittensor_complete bittensor

            """,
        "zsh" => """
            # bittensor completion for zsh: eval "$(bittensor completion zsh)"
            _bittensor() {
                local line="${BUFFER#* }"
                local pos=$((CURSOR - ${#BUFFER} + ${#line}))
                local -a items
                items=("${(@f)$(bittensor "[suggest:${pos}]" "${line}" 2>/dev/null)}")
                compadd -a items
            }
            compdef _bittensor bittensor

            """,
        "pwsh" => """
            # bittensor completion for PowerShell: bittensor completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName bittensor -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $text = $commandAst.ToString()
                $space = $text.IndexOf(' ')
                $line = if ($space -lt 0) { '' } else { $text.Substring($space + 1) }
                $pos = $cursorPosition - $commandAst.Extent.StartOffset - ($text.Length - $line.Length)
                bittensor "[suggest:$pos]" "$line" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
        _ => throw new UsageException($"completion: the shell must be bash, zsh or pwsh, got '{shell}'"),
    };
}
