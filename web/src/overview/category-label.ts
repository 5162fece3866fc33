/**
 * A category's name for an integration: "Neue Kunden" where the integration holds customers, the
 * generic "Neue Mitarbeiter/Kunden" of the help article where the kind is not known.
 */
import { useCallback } from 'react';
import type { Category, Entity } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

export function useCategoryLabel(): (category: Category, entity?: Entity) => string {
  const { t, tx } = useI18n();
  return useCallback(
    (category, entity) => {
      const generic = t(`category.${category}`);
      return entity ? tx(`category.${category}.${entity}`, generic) : generic;
    },
    [t, tx],
  );
}
