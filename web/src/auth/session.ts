import { createContext, useContext } from 'react';
import type { User } from '../api/types.js';

export const SessionContext = createContext<User | null>(null);

/** The signed-in user (screens are only shown to one). */
export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser outside a session');
  return user;
}

export const useIsAdmin = () => useUser().role === 'admin';
