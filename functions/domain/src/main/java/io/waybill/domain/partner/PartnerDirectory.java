package io.waybill.domain.partner;

import java.util.List;

/** The partners master data (which partners exist, what they chose, what they are party to). */
public interface PartnerDirectory {

    /**
     * Every partner. @throws io.waybill.domain.ingestion.TransientDependencyException when the store cannot be read
     */
    List<Partner> partners();
}
