// The code editor: CodeMirror 6 with Python highlighting, and a marker on the line that raised.
// Colours come from CSS classes (classHighlighter's tok-*) so styles.css themes light and dark.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, StateEffect, StateField, Annotation } from '@codemirror/state';
import {
  Decoration, EditorView, WidgetType, drawSelection, highlightActiveLine, highlightActiveLineGutter,
  keymap, lineNumbers,
} from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';

// Marks a change made by the page (controls, fixes) rather than typed by the learner.
export const programmatic = Annotation.define();

const setFailure = StateEffect.define();

// The message shown under the failing line: text, so colour is not the only signal.
class FailureWidget extends WidgetType {
  constructor(text) {
    super();
    this.text = text;
  }

  eq(other) {
    return other.text === this.text;
  }

  toDOM() {
    const note = document.createElement('div');
    note.className = 'cm-failure-note';
    note.textContent = this.text;
    return note;
  }
}

const failureField = StateField.define({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let result = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setFailure)) continue;
      const failure = effect.value;
      if (!failure) {
        result = Decoration.none;
        continue;
      }
      const { doc } = transaction.state;
      if (failure.line < 1 || failure.line > doc.lines) {
        result = Decoration.none;
        continue;
      }
      const line = doc.line(failure.line);
      result = Decoration.set([
        Decoration.line({ class: 'cm-failing-line', attributes: { title: failure.note } }).range(line.from),
        Decoration.widget({ widget: new FailureWidget(failure.note), block: true, side: 1 }).range(line.to),
      ]);
    }
    return result;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor({ parent, doc, onChange, label, readOnly = false }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        python(),
        EditorView.lineWrapping,
        syntaxHighlighting(classHighlighter),
        // Tab is left to the browser so keyboard users can move past the editor.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        failureField,
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        // A locked program can still be reached and read by keyboard.
        readOnly ? EditorView.contentAttributes.of({ tabindex: '0', 'aria-readonly': 'true' }) : [],
        EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false', autocapitalize: 'off' }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const byPage = update.transactions.some((t) => t.annotation(programmatic));
          onChange(update.state.doc.toString(), { byPage });
        }),
      ],
    }),
  });

  return {
    view,
    getCode: () => view.state.doc.toString(),
    // Replaces the whole program (from the controls or a fix); undo brings the old one back.
    setCode(code) {
      if (code === view.state.doc.toString()) return;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: code },
        annotations: programmatic.of(true),
      });
    },
    // failure: {line, note} or null.
    markFailure(failure) {
      view.dispatch({ effects: setFailure.of(failure) });
    },
    focus: () => view.focus(),
  };
}
