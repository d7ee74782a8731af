/** Common French first and last names (invented people; any match with a real person is chance). */

export const firstNames = [
  'Camille', 'Léa', 'Manon', 'Chloé', 'Emma', 'Inès', 'Sarah', 'Jade', 'Louise', 'Alice', 'Lina', 'Zoé',
  'Anaïs', 'Clara', 'Julie', 'Marie', 'Pauline', 'Laura', 'Océane', 'Élodie', 'Agathe', 'Aminata', 'Fatoumata',
  'Yasmine', 'Nour', 'Mélissa', 'Amandine', 'Raphaëlle', 'Sophie', 'Nathalie', 'Sandrine', 'Aïcha', 'Maëlys',
  'Lucas', 'Hugo', 'Louis', 'Gabriel', 'Arthur', 'Jules', 'Mathis', 'Nathan', 'Enzo', 'Théo', 'Yanis', 'Rayan',
  'Karim', 'Mehdi', 'Adam', 'Noah', 'Ethan', 'Tom', 'Maxime', 'Thomas', 'Nicolas', 'Julien', 'Antoine', 'Rémi',
  'Kévin', 'Jérôme', 'François', 'Loïc', 'Mamadou', 'Moussa', 'Bilal', 'Sofiane', 'Quentin', 'Baptiste', 'Alexandre',
  'Alexandra', 'Grégory', 'Cédric', 'Sébastien', 'Benoît', 'Hélène', 'Gaëlle', 'Noémie', 'Ibrahim', 'Ousmane',
] as const;

export const lastNames = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon',
  'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont',
  'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin',
  'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin',
  'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Marchand', 'Duval', 'Denis', 'Dumont', 'Marie',
  'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard', 'Giraud', 'Joly', 'Rivière', 'Lucas',
  'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martinez', 'Gérard', 'Roche', 'Renard', 'Schmitt', 'Roy', 'Leroux',
  'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre', 'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier',
  'Philippe', 'Bourgeois', 'Pierre', 'Benoît', 'Rey', 'Leclerc', 'Payet', 'Rolland', 'Leclercq', 'Guillaume',
  'Lecomte', 'Diallo', 'Traoré', 'Nguyen', 'Benali', 'Haddad', 'Bouchard', 'Sabatier', 'Pétrigny', 'Ciesla', 'Nadir',
  'Bonnefoy', 'Lahmar', 'Sy', 'Billard', 'Dieu', 'Dupuis', "N'Diaye", "D'Almeida", 'Le Gall', 'Saint-Martin',
] as const;

export const trainingTitles = [
  "Concepteur Développeur d'Applications",
  "Concepteur Développeur d'Applications DevOps",
  "Concepteur Développeur d'Applications DevOps (Alternance Simplon)",
  'Développeur Web et Web Mobile',
  'Technicien Supérieur Systèmes et Réseaux',
  "Administrateur d'Infrastructures Sécurisées",
  'Technicien d’Assistance Informatique',
  'Data Analyst',
  'Conseiller en Insertion Professionnelle',
  'Assistant Ressources Humaines',
  'Gestionnaire de Paie',
  'Négociateur Technico-Commercial',
  'Secrétaire Assistant Médico-Social',
  'Agent de Restauration',
  'Préparateur de Commandes en Entrepôt',
] as const;

/** Campaign codes some teams use as the lead title instead of "Prénom Nom - Formation". */
export const campaignCodes = [
  'CAMPUSDIST_TSSR Surveiller_2025_ALT',
  'CAMPUSDIST_TAI_P4_ALT',
  'CAMPUSDIST_DataEng_2025_ALT',
  'FRB2B_WS_AIS_12M',
  'CAMPUSDIST_DWWM_2025_ALT',
  'IDF_CDA_DEVOPS_2025_S2',
  'ARA_GPAIE_2024_ALT',
] as const;

export const jobTitles = [
  'Développeur web', 'Technicien informatique', 'Agent(e) de médiation', 'Aide-soignant(e)', 'Cariste',
  'Assistant(e) RH', 'Comptable', 'Vendeur / vendeuse', 'Électricien', 'Data analyst', 'Administrateur réseau',
  'Secrétaire médicale', 'Cuisinier', 'Boulanger', 'Chauffeur livreur', 'Auxiliaire de vie', 'Je ne sais pas encore',
] as const;

export const freeComments = [
  'Disponible immédiatement.',
  'Je cherche une entreprise proche de chez moi, je n’ai pas le permis.',
  'Besoin d’un accompagnement pour le CV.',
  'Garde d’enfants à organiser le mercredi.',
  'Ancien responsable logistique pendant 20 ans, entreprise fermée, reconversion en cours.',
  'Très motivé(e) !',
  'RAS',
  'Je souhaite travailler dans le numérique.\nJ’ai déjà fait une formation en ligne.',
] as const;
