import { TextArea, TextField, type FieldGroupProps } from './form-fields.js';

/** Sampling and the loop's limits. */
export function LoopFields(props: FieldGroupProps) {
  return (
    <fieldset>
      <legend>Loop</legend>
      <div className="field-row">
        <TextField {...props} field="temperature" label="Temperature" type="number" props={{ min: 0, max: 2, step: 0.1 }} />
        <TextField {...props} field="maxTokens" label="Max tokens" type="number" props={{ min: 1, step: 1, placeholder: 'server default' }} />
        <TextField {...props} field="maxTurns" label="Max turns" type="number" props={{ min: 1, max: 10000, step: 1 }} />
        <TextField {...props} field="maxContextTokens" label="Max context tokens" type="number" props={{ min: 1, step: 1, placeholder: 'no budget' }} />
      </div>
    </fieldset>
  );
}

/** The initial system and user messages. */
export function PromptFields(props: FieldGroupProps) {
  return (
    <fieldset>
      <legend>Prompt</legend>
      <TextArea {...props} field="system" label="System prompt" rows={3} />
      <TextArea {...props} field="user" label="User prompt" rows={4} />
    </fieldset>
  );
}
