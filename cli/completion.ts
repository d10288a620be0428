// Shell completion scripts, written from the command table: nouns, verbs, each command's
// options and their choices, and host/instance names asked of the API (`virtfleet __names`).
import type { Command, OptionSpec } from './command.js';

const flags = (options: Record<string, OptionSpec>) =>
  Object.entries(options).flatMap(([n, o]) => [`--${n}`, ...(o.short ? [`-${o.short}`] : [])]);

export function bashCompletion(program: string, commands: Command[], globals: Record<string, OptionSpec>): string {
  const visible = commands.filter((c) => c.summary);
  const nouns = [...new Set(visible.map((c) => c.words[0]))];
  const verbCases = nouns
    .map(
      (n) =>
        `    ${n}) verbs="${visible
          .filter((c) => c.words[0] === n && c.words[1])
          .map((c) => c.words[1])
          .join(' ')}" ;;`,
    )
    .join('\n');
  const optionCases = visible
    .map((c) => `    "${c.words.join(' ')}") opts="${flags({ ...globals, ...c.options }).join(' ')}" ;;`)
    .join('\n');
  const choices = new Map<string, readonly string[]>();
  for (const c of visible) for (const [n, o] of Object.entries({ ...globals, ...c.options })) if (o.choices) choices.set(n, o.choices);
  const choiceCases = [...choices]
    .map(([n, values]) => `    --${n}) COMPREPLY=($(compgen -W "${values.join(' ')}" -- "$cur")); return ;;`)
    .join('\n');
  const fn = `_${program.replace(/\W/g, '_')}`;
  return `# ${program} completion for bash: source <(${program} completion bash)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} verbs opts
  case "$prev" in
${choiceCases}
    --host|--to) COMPREPLY=($(compgen -W "$(${program} __names host 2>/dev/null)" -- "$cur")); return ;;
    --instance) COMPREPLY=($(compgen -W "$(${program} __names instance 2>/dev/null)" -- "$cur")); return ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${nouns.join(' ')}" -- "$cur")); return
  fi
  if [ "$COMP_CWORD" -eq 2 ]; then
    case "\${COMP_WORDS[1]}" in
${verbCases}
    esac
    COMPREPLY=($(compgen -W "$verbs" -- "$cur")); return
  fi
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
${optionCases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
  if [ "$COMP_CWORD" -eq 3 ]; then
    case "\${COMP_WORDS[1]}" in
      host|instance) COMPREPLY=($(compgen -W "$(${program} __names "\${COMP_WORDS[1]}" 2>/dev/null)" -- "$cur")) ;;
    esac
  fi
}
complete -F ${fn} ${program}
`;
}

/** zsh runs the bash function through its bashcompinit layer: one script to keep right. */
export function zshCompletion(program: string, commands: Command[], globals: Record<string, OptionSpec>): string {
  return `# ${program} completion for zsh: source <(${program} completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program, commands, globals).split('\n').slice(1).join('\n')}`;
}
