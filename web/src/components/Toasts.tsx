import { dismissToast, useToasts } from '../lib/toast';

export function Toasts() {
  const toasts = useToasts();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" data-testid="toast">
          <span className="toast-icon" aria-hidden="true">
            ✓
          </span>
          <span className="toast-body">{toast.message}</span>
          {toast.link && (
            <a className="toast-link" href={toast.link.href} onClick={() => dismissToast(toast.id)} data-testid="toast-link">
              {toast.link.text} →
            </a>
          )}
          <button type="button" className="toast-close" aria-label="×" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
