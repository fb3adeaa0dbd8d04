import { useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import FileCopyOutlined from '@material-ui/icons/FileCopyOutlined';

type CopyState = 'idle' | 'copied' | 'failed';

const TEXT: Record<CopyState, string> = {
  idle: 'Copy',
  copied: 'Copied',
  failed: 'Copy failed: select the text and copy it',
};

/**
 * Copies a text to the clipboard and says whether it worked. `label` is the accessible name
 * (e.g. "Copy endpoint URL"); the visible text is "Copy", then "Copied" for a moment.
 */
export function CopyButton(props: { text: string; label?: string }) {
  const { text, label = 'Copy' } = props;
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return undefined;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      startIcon={<FileCopyOutlined fontSize="small" />}
      onClick={copy}
      aria-label={label}
    >
      {TEXT[state]}
    </Button>
  );
}
