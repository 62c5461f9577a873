import { useState } from 'react';

/**
 * A product photo, loaded lazily, in a frame of fixed shape: when there is none or it fails to
 * load (image hosts are often unreachable or refuse hotlinks), a neutral placeholder instead.
 */
export function ProductImage({ src, className = '' }: { src: string | null; className?: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  const broken = !src || failed === src;
  return (
    <span className={`product-image ${className}`}>
      {broken ? (
        <span className="product-image-placeholder" data-testid="image-placeholder" aria-hidden="true">
          <svg viewBox="0 0 48 48" width="40%" height="40%">
            <path d="M14 17h20l-1.6 19.2a2 2 0 0 1-2 1.8H17.6a2 2 0 0 1-2-1.8L14 17z" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinejoin="round" />
            <path d="M19 20v-5a5 5 0 0 1 10 0v5" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
          </svg>
        </span>
      ) : (
        <img src={src} alt="" loading="lazy" decoding="async" referrerPolicy="no-referrer" onError={() => setFailed(src)} />
      )}
    </span>
  );
}
