import { BUILTIN_TOOLS } from './form-values.js';
import { TextArea, TextField, type FieldGroupProps } from './form-fields.js';
import { ToolSchemasInput } from './tool-schemas-input.js';

/** Where tools come from: schemas and their endpoint, MCP servers, and the built-in tools. */
export function ToolFields(props: FieldGroupProps) {
  const { form, errors, update } = props;
  return (
    <fieldset>
      <legend>Tools</legend>
      <ToolSchemasInput schemas={form.schemas} onChange={(schemas) => update('schemas', schemas)} fieldError={errors.schemas} />
      <TextField {...props} field="toolEndpointURL" label="Tool endpoint URL" type="url" props={{ placeholder: 'http://127.0.0.1:9000/tool' }} hint='Runs the schemas above: POST {"tool_name", "arguments", "task_id"}.' />
      <TextArea {...props} field="mcpCommands" label="MCP server commands" rows={2} hint="One command line per server." />
      <fieldset className="builtin-tools">
        <legend>Built-in tools</legend>
        {BUILTIN_TOOLS.map((tool) => (
          <label key={tool} className="toggle">
            <input
              type="checkbox"
              checked={form.builtin.includes(tool)}
              onChange={(e) => update('builtin', e.target.checked ? [...form.builtin, tool] : form.builtin.filter((t) => t !== tool))}
            />
            {tool}
          </label>
        ))}
        <label className="toggle">
          <input
            type="checkbox"
            checked={form.approveTerminal}
            disabled={!form.builtin.includes('terminal')}
            aria-describedby="approveTerminal-hint"
            onChange={(e) => update('approveTerminal', e.target.checked)}
          />
          Ask before each terminal command
        </label>
        <p id="approveTerminal-hint" className="hint">
          The run waits on each command until you approve, edit or reject it.
        </p>
      </fieldset>
      <TextField {...props} field="workspace" label="Workspace folder" props={{ placeholder: '/path/to/sandbox' }} hint="The built-in tools cannot reach outside it." />
    </fieldset>
  );
}
